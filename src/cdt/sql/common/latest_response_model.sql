-- The most recently fitted response model.
SELECT * FROM ANALYTICS.RESPONSE_MODELS ORDER BY created_at DESC LIMIT 1
