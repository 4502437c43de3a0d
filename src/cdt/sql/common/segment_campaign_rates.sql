-- Per-customer campaign outcomes for segment statistics. A price increase is a
-- 'Price Change Notice' with a positive offer_value (the delta in dollars).
SELECT
    customer_id,
    COUNT(*) AS campaigns,
    SUM(CASE WHEN responded THEN 1 ELSE 0 END) AS responded,
    SUM(CASE WHEN converted THEN 1 ELSE 0 END) AS converted,
    SUM(CASE WHEN campaign_type = 'Price Change Notice' AND offer_value > 0 THEN 1 ELSE 0 END)
        AS price_notices,
    SUM(CASE WHEN campaign_type = 'Price Change Notice' AND offer_value > 0
              AND response_type IN ('complained', 'threatened_churn', 'churned', 'downgraded')
             THEN 1 ELSE 0 END) AS price_pushback,
    SUM(CASE WHEN campaign_type = 'Price Change Notice' AND offer_value > 0
              AND response_type = 'churned' THEN 1 ELSE 0 END) AS price_churn
FROM RAW.CAMPAIGN_RESPONSES
GROUP BY customer_id
