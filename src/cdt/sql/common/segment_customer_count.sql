-- How many customers a segment holds.
SELECT count(*) FROM ANALYTICS.CUSTOMER_SEGMENTS WHERE segment_id = ?
