-- Every delivered price-change notice: its increase, whether it came with a value-add, and
-- whether the customer churned or threatened to. A fixed order: the fit, capped in
-- iterations, must not depend on the scan's row order.
SELECT
    customer_id,
    campaign_id,
    CAST(offer_value AS DOUBLE) AS delta,
    CASE WHEN offer_type LIKE '%Value Add%' THEN 1 ELSE 0 END AS value_add,
    CASE WHEN response_type IN ('churned', 'threatened_churn') THEN 1 ELSE 0 END AS adverse
FROM RAW.CAMPAIGN_RESPONSES
WHERE delivered AND campaign_type = 'Price Change Notice'
ORDER BY response_id
