-- Each segment's size and how many of its customers a scenario reaches (CTE `audience`).
SELECT
    s.segment_id,
    MIN(s.segment_name) AS segment_name,
    CAST(COUNT(*) AS BIGINT) AS customers,
    CAST(COUNT(a.customer_id) AS BIGINT) AS affected
FROM ANALYTICS.CUSTOMER_SEGMENTS s
LEFT JOIN audience a ON a.customer_id = s.customer_id
GROUP BY s.segment_id
ORDER BY s.segment_id
