-- Today's customers by the response model's inputs: what a scenario is applied to.
SELECT
    segment_id,
    plan_name,
    tenure_band,
    risk_band,
    sensitivity_band,
    CAST(COUNT(*) AS BIGINT) AS customers,
    AVG(plan_price) AS plan_price,
    SUM(monthly_arpu) AS arpu_total
FROM bands
GROUP BY segment_id, plan_name, tenure_band, risk_band, sensitivity_band
