-- The id of the most recently fitted response model.
SELECT model_id FROM ANALYTICS.RESPONSE_MODELS ORDER BY created_at DESC LIMIT 1
