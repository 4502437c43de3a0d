-- Every segment's statistics, in id order.
SELECT * FROM ANALYTICS.SEGMENT_STATISTICS ORDER BY segment_id
