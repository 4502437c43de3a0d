-- How many customers a delta touched.
SELECT count(DISTINCT customer_id) FROM RAW.PENDING_REFRESH WHERE customer_id IS NOT NULL
