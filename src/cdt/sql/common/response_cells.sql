-- Training cells for the response model: delivered campaign messages counted by outcome,
-- per campaign, segment, plan, tenure, churn-risk and sensitivity band (see response_bands). A cell
-- is a group of customers who got the same message and share the model's customer inputs,
-- so the model fits on these counts instead of millions of rows. Binds: TRUE, TRUE for every
-- customer's responses; a refresh (calibrate/incremental.py) counts only the customers in
-- RAW.PENDING_CELLS (first FALSE), and with the second FALSE leaves out the responses in
-- RAW.PENDING_RESPONSES (those loaded since the last fit).
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
  AND (CAST(? AS BOOLEAN) OR r.customer_id IN (SELECT customer_id FROM RAW.PENDING_CELLS))
  AND (CAST(? AS BOOLEAN) OR NOT EXISTS (
        SELECT 1 FROM RAW.PENDING_RESPONSES p WHERE p.response_id = r.response_id))
GROUP BY r.campaign_id, b.segment_id, b.plan_name, b.tenure_band, b.risk_band, b.sensitivity_band
-- A fixed order: the fit (and its bootstrap draws) then do not depend on the order a parallel
-- GROUP BY happens to return.
ORDER BY r.campaign_id, b.segment_id, b.plan_name, b.tenure_band, b.risk_band,
    b.sensitivity_band
