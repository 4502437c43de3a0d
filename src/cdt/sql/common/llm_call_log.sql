-- One LLM call, logged (AGENTS.LLM_CALLS).
INSERT INTO AGENTS.LLM_CALLS (call_id, provider, model_id, call_kind, request_hash,
    prompt_hash, prompt_tokens, completion_tokens, latency_ms, estimated_credits, cached,
    status, error, response_text)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
