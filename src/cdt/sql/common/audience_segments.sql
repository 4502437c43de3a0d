-- The current segments' ids and names, to resolve a scenario's segment filter.
SELECT DISTINCT segment_id, segment_name FROM ANALYTICS.CUSTOMER_SEGMENTS ORDER BY segment_id
