-- The response model's next refit recounts the refreshed customers' responses.
INSERT INTO RAW.PENDING_CELLS (customer_id)
SELECT DISTINCT customer_id FROM RAW.PENDING_REFRESH
