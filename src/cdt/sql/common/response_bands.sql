-- Each customer's inputs to the response model: segment, plan, tenure band, churn-risk band
-- (bands chosen so that the churn-risk score separates very loyal from at-risk customers
-- inside a segment) and price-sensitivity band. The sensitivity band's expression comes from
-- the model's fitted scorer (calibrate/sensitivity.py) and replaces the marked 0 below; with
-- no scorer every customer is in band 0. Used as the CTE `bands` by response_cells and
-- response_population.
SELECT
    s.customer_id,
    s.segment_id,
    f.plan_name,
    CAST(f.plan_price AS DOUBLE) AS plan_price,
    CAST(f.monthly_arpu AS DOUBLE) AS monthly_arpu,
    CASE WHEN f.tenure_months < 24 THEN 0 WHEN f.tenure_months < 72 THEN 1 ELSE 2 END
        AS tenure_band,
    CASE WHEN f.churn_risk_score < 0.05 THEN 0 WHEN f.churn_risk_score < 0.1 THEN 1
         WHEN f.churn_risk_score < 0.15 THEN 2 WHEN f.churn_risk_score < 0.2 THEN 3
         WHEN f.churn_risk_score < 0.25 THEN 4 WHEN f.churn_risk_score < 0.3 THEN 5
         WHEN f.churn_risk_score < 0.4 THEN 6 WHEN f.churn_risk_score < 0.55 THEN 7
         WHEN f.churn_risk_score < 0.7 THEN 8 ELSE 9 END
        AS risk_band,
    /* sensitivity_band */ 0 AS sensitivity_band
FROM ANALYTICS.CUSTOMER_SEGMENTS s
JOIN ANALYTICS.CUSTOMER_FEATURES_ENRICHED f ON f.customer_id = s.customer_id
