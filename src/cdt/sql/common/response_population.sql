-- Today's customers that a scenario reaches (CTE `audience`), by the response model's inputs:
-- what a scenario is applied to.
SELECT
    b.segment_id,
    b.plan_name,
    b.tenure_band,
    b.risk_band,
    b.sensitivity_band,
    CAST(COUNT(*) AS BIGINT) AS customers,
    AVG(b.plan_price) AS plan_price,
    SUM(b.monthly_arpu) AS arpu_total
FROM bands b
JOIN audience a ON a.customer_id = b.customer_id
GROUP BY b.segment_id, b.plan_name, b.tenure_band, b.risk_band, b.sensitivity_band
