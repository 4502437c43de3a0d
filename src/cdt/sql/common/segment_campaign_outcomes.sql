-- Per segment of ANALYTICS.CUSTOMER_SEGMENTS, its customers' campaign outcomes. A price
-- increase is a 'Price Change Notice' with a positive offer_value (the delta in dollars).
SELECT
    s.segment_id,
    CAST(COUNT(*) AS BIGINT) AS campaigns,
    SUM(CASE WHEN c.responded THEN 1 ELSE 0 END) AS responded,
    SUM(CASE WHEN c.converted THEN 1 ELSE 0 END) AS converted,
    SUM(CASE WHEN c.campaign_type = 'Price Change Notice' AND c.offer_value > 0 THEN 1 ELSE 0 END)
        AS price_notices,
    SUM(CASE WHEN c.campaign_type = 'Price Change Notice' AND c.offer_value > 0
              AND c.response_type IN ('complained', 'threatened_churn', 'churned', 'downgraded')
             THEN 1 ELSE 0 END) AS price_pushback,
    SUM(CASE WHEN c.campaign_type = 'Price Change Notice' AND c.offer_value > 0
              AND c.response_type = 'churned' THEN 1 ELSE 0 END) AS price_churn
FROM RAW.CAMPAIGN_RESPONSES c
JOIN ANALYTICS.CUSTOMER_SEGMENTS s ON s.customer_id = c.customer_id
WHERE c.delivered
GROUP BY s.segment_id
ORDER BY s.segment_id
