-- Each plan's median monthly price among the twin's customers: what a scenario's price change
-- is checked against before any number is computed (scenario/plausible.py).
SELECT plan_name, MEDIAN(CAST(plan_price AS DOUBLE)) AS price
FROM ANALYTICS.CUSTOMER_FEATURES_ENRICHED
WHERE plan_name IS NOT NULL AND plan_price IS NOT NULL
GROUP BY plan_name
ORDER BY plan_name
