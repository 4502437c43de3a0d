-- ANALYTICS.CUSTOMER_FEATURES_ENRICHED: the spec's §3.3 column list and derived features.
-- Derived ratios are computed in DOUBLE: DuckDB and Snowflake differ in decimal division.
-- Bind: TRUE for every customer; FALSE for only those in RAW.PENDING_REFRESH (a refresh).
INSERT INTO ANALYTICS.CUSTOMER_FEATURES_ENRICHED (
    customer_id, zip_code, state_code, dma_code, age, gender, tenure_months, plan_name,
    plan_category, plan_price, lines_on_account, contract_type, monthly_arpu, lifetime_value,
    device_brand, device_os, device_tier, is_5g_capable, app_engagement_score, rewards_tier,
    nps_score, churn_risk_score, complaint_count_12m, avg_data_usage_gb, avg_voice_minutes,
    data_trend_3m, overage_frequency, avg_bill_amount, support_contacts_12m, avg_sentiment_score,
    complaint_rate, total_population, population_density, urban_rural_class,
    median_household_income, zip_median_age, zip_education, pct_family_households,
    cost_of_living_index, unemployment_rate, zip_credit_score, poverty_rate, local_market_share,
    price_war_intensity, competitor_avg_price, primary_lifestyle, tech_adoption_score,
    price_sensitivity_index, brand_loyalty_index, early_adopter_index, zip_switch_propensity,
    deal_seeker_index, price_position_ratio, wallet_share_pct, monthly_value, adjusted_churn_risk
)
SELECT
    c.customer_id,
    c.zip_code,
    c.state_code,
    c.dma_code,
    c.age,
    c.gender,
    c.tenure_months,
    c.plan_name,
    c.plan_category,
    c.plan_price,
    c.lines_on_account,
    c.contract_type,
    c.monthly_arpu,
    c.lifetime_value,
    c.device_brand,
    c.device_os,
    c.device_tier,
    c.is_5g_capable,
    c.app_engagement_score,
    c.rewards_tier,
    c.nps_score,
    c.churn_risk_score,
    c.complaint_count_12m,
    u.avg_data_usage_gb,
    u.avg_voice_minutes,
    u.data_trend_3m,
    u.overage_frequency,
    u.avg_bill_amount,
    i.support_contacts_12m,
    i.avg_sentiment_score,
    i.complaint_rate,
    z.total_population,
    z.population_density,
    z.urban_rural_class,
    z.median_household_income,
    z.median_age,
    z.pct_bachelors,
    z.pct_family_households,
    e.cost_of_living_index,
    e.unemployment_rate,
    e.avg_credit_score,
    e.poverty_rate,
    comp.snowmobile_market_share,
    comp.price_war_intensity,
    CAST(comp.vz_avg_price + comp.att_avg_price + comp.tmo_avg_price AS DOUBLE) / 3.0,
    l.primary_lifestyle,
    l.tech_adoption_score,
    l.price_sensitivity_index,
    l.brand_loyalty_index,
    l.early_adopter_index,
    l.switching_propensity,
    l.deal_seeker_index,
    CAST(c.monthly_arpu AS DOUBLE)
        / NULLIF(CAST(comp.vz_avg_price + comp.att_avg_price + comp.tmo_avg_price AS DOUBLE)
                 / 3.0, 0.0),
    CAST(c.monthly_arpu AS DOUBLE) * 12.0
        / NULLIF(CAST(z.median_household_income AS DOUBLE), 0.0) * 100.0,
    CAST(c.lifetime_value AS DOUBLE) / NULLIF(CAST(c.tenure_months AS DOUBLE), 0.0),
    CAST(c.churn_risk_score AS DOUBLE)
        * (1.0 + CAST(l.switching_propensity AS DOUBLE) / 100.0)
        * CASE WHEN comp.price_war_intensity = 'High' THEN 1.2
               WHEN comp.price_war_intensity = 'Medium' THEN 1.1
               ELSE 1.0 END
FROM RAW.CUSTOMERS c
LEFT JOIN ANALYTICS.CUSTOMER_USAGE_SUMMARY u ON c.customer_id = u.customer_id
LEFT JOIN ANALYTICS.CUSTOMER_INTERACTION_SUMMARY i ON c.customer_id = i.customer_id
LEFT JOIN EXTERNAL.ZIP_DEMOGRAPHICS z ON c.zip_code = z.zip_code
LEFT JOIN EXTERNAL.ECONOMIC_INDICATORS e ON c.zip_code = e.zip_code
LEFT JOIN EXTERNAL.COMPETITIVE_LANDSCAPE comp ON c.dma_code = comp.dma_code
LEFT JOIN EXTERNAL.LIFESTYLE_SEGMENTS l ON c.zip_code = l.zip_code
WHERE (CAST(? AS BOOLEAN) OR c.customer_id IN (SELECT customer_id FROM RAW.PENDING_REFRESH))
