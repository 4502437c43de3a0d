-- Every segment id, in order.
SELECT DISTINCT segment_id FROM ANALYTICS.CUSTOMER_SEGMENTS ORDER BY segment_id
