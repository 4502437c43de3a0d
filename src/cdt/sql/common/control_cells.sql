-- The untreated control groups of price notices (rows with delivered = FALSE and the control
-- offer_type, bound first: contract.CONTROL_GROUP), counted per campaign and per the same
-- customer cells as response_cells (see response_bands), with how many left in the window.
-- The backtest's uplift curve compares them with the notified customers of those cells.
SELECT
    r.campaign_id,
    b.segment_id,
    b.plan_name,
    b.tenure_band,
    b.risk_band,
    b.sensitivity_band,
    CAST(COUNT(*) AS BIGINT) AS customers,
    CAST(SUM(CASE WHEN r.response_type = 'churned' THEN 1 ELSE 0 END) AS BIGINT) AS churned
FROM RAW.CAMPAIGN_RESPONSES r
JOIN bands b ON b.customer_id = r.customer_id
WHERE NOT r.delivered
  AND r.offer_type = ?
  AND r.campaign_type = 'Price Change Notice'
GROUP BY r.campaign_id, b.segment_id, b.plan_name, b.tenure_band, b.risk_band, b.sensitivity_band
ORDER BY r.campaign_id, b.segment_id, b.plan_name, b.tenure_band, b.risk_band,
    b.sensitivity_band
