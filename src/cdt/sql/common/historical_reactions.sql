-- Observed outcomes of every campaign, per segment (the raw material of HISTORICAL_REACTIONS
-- and of the grounded numbers). Rates are shares of the customers who received the campaign.
SELECT
    s.segment_id,
    r.campaign_id,
    MIN(r.campaign_name) AS campaign_name,
    MIN(r.campaign_type) AS campaign_type,
    MIN(r.offer_type) AS offer_type,
    CAST(MIN(r.offer_value) AS DOUBLE) AS offer_value,
    CAST(MIN(r.sent_at) AS DATE) AS event_date,
    COUNT(*) AS customers_exposed,
    AVG(CASE WHEN r.response_type = 'accepted' THEN 1.0 ELSE 0.0 END) AS accepted,
    AVG(CASE WHEN r.response_type = 'ignored' THEN 1.0 ELSE 0.0 END) AS ignored,
    AVG(CASE WHEN r.response_type = 'complained' THEN 1.0 ELSE 0.0 END) AS complained,
    AVG(CASE WHEN r.response_type = 'threatened_churn' THEN 1.0 ELSE 0.0 END) AS threatened_churn,
    AVG(CASE WHEN r.response_type = 'churned' THEN 1.0 ELSE 0.0 END) AS churned,
    AVG(CASE WHEN r.response_type = 'upgraded' THEN 1.0 ELSE 0.0 END) AS upgraded,
    AVG(CASE WHEN r.response_type = 'downgraded' THEN 1.0 ELSE 0.0 END) AS downgraded,
    AVG(CASE WHEN r.converted THEN 1.0 ELSE 0.0 END) AS converted
FROM RAW.CAMPAIGN_RESPONSES r
JOIN ANALYTICS.CUSTOMER_SEGMENTS s ON s.customer_id = r.customer_id
WHERE r.delivered
GROUP BY s.segment_id, r.campaign_id
ORDER BY s.segment_id, event_date, r.campaign_id
