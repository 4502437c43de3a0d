-- Delivered price-change notices to segmented customers, with the noticed customer's segment
-- and scorer features (calibrate.sensitivity.FEATURES, raw: tests/hardening/test_sql_files.py checks
-- that they agree): the increase, whether it came with a value-add, and whether the customer
-- churned or threatened to. At most sensitivity.MAX_NOTICES of them (the LIMIT below), chosen
-- by a hash of the response id so that the same notices are read on every backend and run.
SELECT
    c.customer_id,
    c.campaign_id,
    c.response_id,
    CAST(c.offer_value AS DOUBLE) AS delta,
    CASE WHEN c.offer_type LIKE '%Value Add%' THEN 1 ELSE 0 END AS value_add,
    CASE WHEN c.response_type IN ('churned', 'threatened_churn') THEN 1 ELSE 0 END AS adverse,
    s.segment_id,
    CAST(f.age AS DOUBLE) AS age,
    CAST(f.tenure_months AS DOUBLE) AS tenure_months,
    CAST(f.plan_price AS DOUBLE) AS plan_price,
    CAST(f.lines_on_account AS DOUBLE) AS lines_on_account,
    CAST(f.monthly_arpu AS DOUBLE) AS monthly_arpu,
    CAST(f.avg_data_usage_gb AS DOUBLE) AS avg_data_usage_gb,
    CAST(f.avg_voice_minutes AS DOUBLE) AS avg_voice_minutes,
    CAST(f.support_contacts_12m AS DOUBLE) AS support_contacts_12m,
    CAST(f.avg_sentiment_score AS DOUBLE) AS avg_sentiment_score,
    CAST(f.complaint_rate AS DOUBLE) AS complaint_rate,
    CAST(f.app_engagement_score AS DOUBLE) AS app_engagement_score,
    CAST(f.population_density AS DOUBLE) AS population_density,
    CAST(f.churn_risk_score AS DOUBLE) AS churn_risk_score,
    CAST(f.nps_score AS DOUBLE) AS nps_score,
    CAST(f.complaint_count_12m AS DOUBLE) AS complaint_count_12m,
    CAST(f.lifetime_value AS DOUBLE) AS lifetime_value
FROM RAW.CAMPAIGN_RESPONSES c
JOIN ANALYTICS.CUSTOMER_SEGMENTS s ON s.customer_id = c.customer_id
JOIN ANALYTICS.CUSTOMER_FEATURES_ENRICHED f ON f.customer_id = c.customer_id
WHERE c.delivered AND c.campaign_type = 'Price Change Notice'
ORDER BY MD5(CAST(c.response_id AS VARCHAR))
LIMIT 100000
