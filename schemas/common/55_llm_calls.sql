-- Every LLM and embedding call: what was asked (hashes, sizes), what it cost and how it ended.
-- Also the response cache: an identical request (provider, model, messages, schema,
-- temperature, max tokens, seed) whose earlier answer was valid is served from here.
CREATE TABLE IF NOT EXISTS AGENTS.LLM_CALLS (
    call_id                 VARCHAR(36),
    provider                VARCHAR(30),
    model_id                VARCHAR(200),
    call_kind               VARCHAR(30),     -- persona, reaction, scenario_parse, embed, ...
    request_hash            VARCHAR(64),     -- the cache key
    prompt_hash             VARCHAR(64),
    prompt_tokens           INT,
    completion_tokens       INT,
    latency_ms              DOUBLE,
    estimated_credits       DOUBLE,          -- Cortex only
    cached                  BOOLEAN,
    status                  VARCHAR(20),     -- ok, invalid_output, error, timeout
    error                   VARCHAR(2000),
    response_text           TEXT,
    created_at              TIMESTAMP_NTZ DEFAULT CURRENT_TIMESTAMP
);
