-- What the price-sensitivity scorer reads per customer: its segment and the features in
-- calibrate.sensitivity.FEATURES (tests/hardening/test_sql_files.py checks that they agree).
SELECT
    f.customer_id,
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
FROM ANALYTICS.CUSTOMER_FEATURES_ENRICHED f
JOIN ANALYTICS.CUSTOMER_SEGMENTS s ON s.customer_id = f.customer_id
ORDER BY f.customer_id
