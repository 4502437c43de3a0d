-- The newest good answer to the same request (the LLM cache).
SELECT response_text, prompt_tokens, completion_tokens FROM AGENTS.LLM_CALLS
WHERE request_hash = ? AND status = 'ok' ORDER BY created_at DESC LIMIT 1
