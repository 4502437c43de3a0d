-- The mean and population standard deviation of each of calibrate.sensitivity.FEATURES over
-- every segmented customer, as the scorer standardises them (a missing value is 0;
-- sensitivity.LOGGED ones are log1p'd; tests/hardening/test_sql_files.py checks that they agree).
WITH v AS (
    SELECT
        COALESCE(CAST(f.age AS DOUBLE), 0) AS age,
        COALESCE(CAST(f.tenure_months AS DOUBLE), 0) AS tenure_months,
        COALESCE(CAST(f.plan_price AS DOUBLE), 0) AS plan_price,
        COALESCE(CAST(f.lines_on_account AS DOUBLE), 0) AS lines_on_account,
        COALESCE(CAST(f.monthly_arpu AS DOUBLE), 0) AS monthly_arpu,
        COALESCE(CAST(f.avg_data_usage_gb AS DOUBLE), 0) AS avg_data_usage_gb,
        COALESCE(CAST(f.avg_voice_minutes AS DOUBLE), 0) AS avg_voice_minutes,
        COALESCE(CAST(f.support_contacts_12m AS DOUBLE), 0) AS support_contacts_12m,
        COALESCE(CAST(f.avg_sentiment_score AS DOUBLE), 0) AS avg_sentiment_score,
        COALESCE(CAST(f.complaint_rate AS DOUBLE), 0) AS complaint_rate,
        COALESCE(CAST(f.app_engagement_score AS DOUBLE), 0) AS app_engagement_score,
        LN(1 + GREATEST(COALESCE(CAST(f.population_density AS DOUBLE), 0), 0)) AS population_density,
        COALESCE(CAST(f.churn_risk_score AS DOUBLE), 0) AS churn_risk_score,
        COALESCE(CAST(f.nps_score AS DOUBLE), 0) AS nps_score,
        COALESCE(CAST(f.complaint_count_12m AS DOUBLE), 0) AS complaint_count_12m,
        LN(1 + GREATEST(COALESCE(CAST(f.lifetime_value AS DOUBLE), 0), 0)) AS lifetime_value
    FROM ANALYTICS.CUSTOMER_FEATURES_ENRICHED f
    JOIN ANALYTICS.CUSTOMER_SEGMENTS s ON s.customer_id = f.customer_id
)
SELECT
    CAST(COUNT(*) AS BIGINT) AS customers,
    AVG(age) AS mean_age,
    AVG(tenure_months) AS mean_tenure_months,
    AVG(plan_price) AS mean_plan_price,
    AVG(lines_on_account) AS mean_lines_on_account,
    AVG(monthly_arpu) AS mean_monthly_arpu,
    AVG(avg_data_usage_gb) AS mean_avg_data_usage_gb,
    AVG(avg_voice_minutes) AS mean_avg_voice_minutes,
    AVG(support_contacts_12m) AS mean_support_contacts_12m,
    AVG(avg_sentiment_score) AS mean_avg_sentiment_score,
    AVG(complaint_rate) AS mean_complaint_rate,
    AVG(app_engagement_score) AS mean_app_engagement_score,
    AVG(population_density) AS mean_population_density,
    AVG(churn_risk_score) AS mean_churn_risk_score,
    AVG(nps_score) AS mean_nps_score,
    AVG(complaint_count_12m) AS mean_complaint_count_12m,
    AVG(lifetime_value) AS mean_lifetime_value,
    STDDEV_POP(age) AS sd_age,
    STDDEV_POP(tenure_months) AS sd_tenure_months,
    STDDEV_POP(plan_price) AS sd_plan_price,
    STDDEV_POP(lines_on_account) AS sd_lines_on_account,
    STDDEV_POP(monthly_arpu) AS sd_monthly_arpu,
    STDDEV_POP(avg_data_usage_gb) AS sd_avg_data_usage_gb,
    STDDEV_POP(avg_voice_minutes) AS sd_avg_voice_minutes,
    STDDEV_POP(support_contacts_12m) AS sd_support_contacts_12m,
    STDDEV_POP(avg_sentiment_score) AS sd_avg_sentiment_score,
    STDDEV_POP(complaint_rate) AS sd_complaint_rate,
    STDDEV_POP(app_engagement_score) AS sd_app_engagement_score,
    STDDEV_POP(population_density) AS sd_population_density,
    STDDEV_POP(churn_risk_score) AS sd_churn_risk_score,
    STDDEV_POP(nps_score) AS sd_nps_score,
    STDDEV_POP(complaint_count_12m) AS sd_complaint_count_12m,
    STDDEV_POP(lifetime_value) AS sd_lifetime_value
FROM v
