-- Simulation audit trail and history (cdt's design; the spec names AGENTS.SIMULATION_LOGS and
-- the HISTORY schema without columns). DuckDB: JSON where Snowflake has VARIANT.
--
-- One simulation = one HISTORY.SIMULATIONS row, one HISTORY.SIMULATION_RESULTS row per segment
-- and one AGENTS.SIMULATION_LOGS row per LLM call. All rows of a simulation are written in one
-- transaction, so a failed run leaves no partial history.

CREATE TABLE IF NOT EXISTS AGENTS.SIMULATION_LOGS (
    log_id                  VARCHAR(36),
    simulation_id           VARCHAR(36),
    segment_id              VARCHAR(10),
    persona_id              VARCHAR(36),
    persona_version         INT,
    call_kind               VARCHAR(30),     -- reaction, persona, scenario_parse, ...
    provider                VARCHAR(30),
    model_id                VARCHAR(200),
    prompt_hash             VARCHAR(64),
    prompt_tokens           INT,
    completion_tokens       INT,
    latency_ms              DOUBLE,
    cached                  BOOLEAN,
    status                  VARCHAR(20),     -- ok, invalid_output, error, timeout
    error                   VARCHAR(2000),
    response                JSON,            -- the validated structured output
    created_at              TIMESTAMP_NTZ DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE IF NOT EXISTS HISTORY.SIMULATIONS (
    simulation_id           VARCHAR(36),
    scenario_text           VARCHAR(4000),
    scenario_params         JSON,            -- the parsed scenario: price delta, plans, offer, ...
    template_name           VARCHAR(50),
    segment_filter          JSON,
    backend                 VARCHAR(20),
    provider                VARCHAR(30),
    model_id                VARCHAR(200),
    prompt_hashes           JSON,
    persona_versions        JSON,            -- {segment_id: version}
    data_snapshot_id        VARCHAR(64),
    status                  VARCHAR(20),     -- complete, partial (some segments failed)
    overall                 JSON,            -- weighted sentiment, churners, revenue at risk, ...
    recommendation          TEXT,
    timings                 JSON,
    started_at              TIMESTAMP_NTZ,
    finished_at             TIMESTAMP_NTZ,
    created_by              VARCHAR(100)
);

CREATE TABLE IF NOT EXISTS HISTORY.SIMULATION_RESULTS (
    simulation_id           VARCHAR(36),
    segment_id              VARCHAR(10),
    segment_name            VARCHAR(50),
    persona_id              VARCHAR(36),
    customer_count          INT,
    pct_of_base             DECIMAL(5,2),
    status                  VARCHAR(20),     -- ok or failed
    sentiment_score         DOUBLE,
    likely_action           VARCHAR(20),
    action_probability      DOUBLE,
    weighted_impact         DOUBLE,
    action_shares           JSON,            -- {action: {estimate, low, high}} from the response model
    expected_churners       DOUBLE,
    churners_low            DOUBLE,
    churners_high           DOUBLE,
    revenue_at_risk_monthly DOUBLE,
    revenue_at_risk_low     DOUBLE,
    revenue_at_risk_high    DOUBLE,
    reaction                JSON,            -- the persona's in-character reaction (spec §4.3)
    quote                   VARCHAR(2000),
    created_at              TIMESTAMP_NTZ DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE IF NOT EXISTS HISTORY.FEEDBACK (
    feedback_id             VARCHAR(36),
    simulation_id           VARCHAR(36),
    segment_id              VARCHAR(10),
    observed_outcome        JSON,            -- what really happened, when it is known
    notes                   TEXT,
    created_at              TIMESTAMP_NTZ DEFAULT CURRENT_TIMESTAMP,
    created_by              VARCHAR(100)
);

-- One row per `cdt sweep`: the scenario, the swept field and range, and the whole result
-- (points, optimum, break-even, targeting), replayable with `cdt history show ID`.
CREATE TABLE IF NOT EXISTS HISTORY.SWEEPS (
    sweep_id                VARCHAR(36),
    scenario_text           VARCHAR(4000),
    scenario_params         JSON,
    param                   VARCHAR(50),
    range_from              DOUBLE,
    range_to                DOUBLE,
    range_step              DOUBLE,
    response_model_id       VARCHAR(64),
    result                  JSON,
    created_at              TIMESTAMP_NTZ DEFAULT CURRENT_TIMESTAMP
);
