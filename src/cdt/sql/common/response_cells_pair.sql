-- The training cells of response_cells for two scorers at once: counted per campaign,
-- segment, plan, tenure, churn-risk band and BOTH sensitivity bands (the model's scorer's and
-- the backtest's, fitted without the held-out campaigns; see cells.read_cell_pair). The client
-- sums away one band or the other, so the responses are scanned and joined once, not twice.
SELECT
    r.campaign_id,
    MIN(r.campaign_name) AS campaign_name,
    MIN(r.campaign_type) AS campaign_type,
    MIN(r.offer_type) AS offer_type,
    CAST(MIN(r.offer_value) AS DOUBLE) AS offer_value,
    MIN(r.channel) AS channel,
    MIN(r.sent_at) AS sent_at,
    b.segment_id,
    b.plan_name,
    b.tenure_band,
    b.risk_band,
    b.sensitivity_band,
    b.held_band,
    CAST(COUNT(*) AS BIGINT) AS delivered,
    CAST(SUM(CASE WHEN r.response_type = 'accepted' THEN 1 ELSE 0 END) AS BIGINT) AS accepted,
    CAST(SUM(CASE WHEN r.response_type = 'ignored' OR r.response_type IS NULL THEN 1 ELSE 0 END)
        AS BIGINT) AS ignored,
    CAST(SUM(CASE WHEN r.response_type = 'complained' THEN 1 ELSE 0 END) AS BIGINT)
        AS complained,
    CAST(SUM(CASE WHEN r.response_type = 'threatened_churn' THEN 1 ELSE 0 END) AS BIGINT)
        AS threatened_churn,
    CAST(SUM(CASE WHEN r.response_type = 'churned' THEN 1 ELSE 0 END) AS BIGINT) AS churned,
    CAST(SUM(CASE WHEN r.response_type = 'upgraded' THEN 1 ELSE 0 END) AS BIGINT) AS upgraded,
    CAST(SUM(CASE WHEN r.response_type = 'downgraded' THEN 1 ELSE 0 END) AS BIGINT)
        AS downgraded,
    CAST(SUM(CASE WHEN r.converted THEN 1 ELSE 0 END) AS BIGINT) AS converted
FROM RAW.CAMPAIGN_RESPONSES r
JOIN bands b ON b.customer_id = r.customer_id
WHERE r.delivered
GROUP BY r.campaign_id, b.segment_id, b.plan_name, b.tenure_band, b.risk_band, b.sensitivity_band,
    b.held_band
