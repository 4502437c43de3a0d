-- Per segment of ANALYTICS.CUSTOMER_SEGMENTS: its size and the mean and median of each of
-- segment.statistics.KEY_FEATURES (tests/hardening/test_sql_files.py checks that they agree). NULLs are
-- left out of a mean or median, as in the client's statistics.
SELECT
    s.segment_id,
    CAST(COUNT(*) AS BIGINT) AS customers,
    AVG(CAST(f.age AS DOUBLE)) AS mean_age,
    AVG(CAST(f.tenure_months AS DOUBLE)) AS mean_tenure_months,
    AVG(CAST(f.monthly_arpu AS DOUBLE)) AS mean_monthly_arpu,
    AVG(CAST(f.lifetime_value AS DOUBLE)) AS mean_lifetime_value,
    AVG(CAST(f.lines_on_account AS DOUBLE)) AS mean_lines_on_account,
    AVG(CAST(f.avg_data_usage_gb AS DOUBLE)) AS mean_avg_data_usage_gb,
    AVG(CAST(f.avg_voice_minutes AS DOUBLE)) AS mean_avg_voice_minutes,
    AVG(CAST(f.data_trend_3m AS DOUBLE)) AS mean_data_trend_3m,
    AVG(CAST(f.overage_frequency AS DOUBLE)) AS mean_overage_frequency,
    AVG(CAST(f.support_contacts_12m AS DOUBLE)) AS mean_support_contacts_12m,
    AVG(CAST(f.avg_sentiment_score AS DOUBLE)) AS mean_avg_sentiment_score,
    AVG(CAST(f.complaint_rate AS DOUBLE)) AS mean_complaint_rate,
    AVG(CAST(f.app_engagement_score AS DOUBLE)) AS mean_app_engagement_score,
    AVG(CAST(f.nps_score AS DOUBLE)) AS mean_nps_score,
    AVG(CAST(f.churn_risk_score AS DOUBLE)) AS mean_churn_risk_score,
    AVG(CAST(f.median_household_income AS DOUBLE)) AS mean_median_household_income,
    AVG(CAST(f.population_density AS DOUBLE)) AS mean_population_density,
    AVG(CAST(f.price_position_ratio AS DOUBLE)) AS mean_price_position_ratio,
    AVG(CAST(f.wallet_share_pct AS DOUBLE)) AS mean_wallet_share_pct,
    MEDIAN(CAST(f.age AS DOUBLE)) AS median_age,
    MEDIAN(CAST(f.tenure_months AS DOUBLE)) AS median_tenure_months,
    MEDIAN(CAST(f.monthly_arpu AS DOUBLE)) AS median_monthly_arpu,
    MEDIAN(CAST(f.lifetime_value AS DOUBLE)) AS median_lifetime_value,
    MEDIAN(CAST(f.lines_on_account AS DOUBLE)) AS median_lines_on_account,
    MEDIAN(CAST(f.avg_data_usage_gb AS DOUBLE)) AS median_avg_data_usage_gb,
    MEDIAN(CAST(f.avg_voice_minutes AS DOUBLE)) AS median_avg_voice_minutes,
    MEDIAN(CAST(f.data_trend_3m AS DOUBLE)) AS median_data_trend_3m,
    MEDIAN(CAST(f.overage_frequency AS DOUBLE)) AS median_overage_frequency,
    MEDIAN(CAST(f.support_contacts_12m AS DOUBLE)) AS median_support_contacts_12m,
    MEDIAN(CAST(f.avg_sentiment_score AS DOUBLE)) AS median_avg_sentiment_score,
    MEDIAN(CAST(f.complaint_rate AS DOUBLE)) AS median_complaint_rate,
    MEDIAN(CAST(f.app_engagement_score AS DOUBLE)) AS median_app_engagement_score,
    MEDIAN(CAST(f.nps_score AS DOUBLE)) AS median_nps_score,
    MEDIAN(CAST(f.churn_risk_score AS DOUBLE)) AS median_churn_risk_score,
    MEDIAN(CAST(f.median_household_income AS DOUBLE)) AS median_median_household_income,
    MEDIAN(CAST(f.population_density AS DOUBLE)) AS median_population_density,
    MEDIAN(CAST(f.price_position_ratio AS DOUBLE)) AS median_price_position_ratio,
    MEDIAN(CAST(f.wallet_share_pct AS DOUBLE)) AS median_wallet_share_pct
FROM ANALYTICS.CUSTOMER_SEGMENTS s
JOIN ANALYTICS.CUSTOMER_FEATURES_ENRICHED f ON f.customer_id = s.customer_id
GROUP BY s.segment_id
ORDER BY s.segment_id
