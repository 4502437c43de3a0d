-- Each campaign the response model learns from (delivered to segmented customers, as in
-- response_cells) with its first send: what a backtest's holdout is chosen from before the
-- cells are read.
SELECT
    r.campaign_id,
    MIN(r.sent_at) AS sent_at
FROM RAW.CAMPAIGN_RESPONSES r
JOIN ANALYTICS.CUSTOMER_SEGMENTS s ON s.customer_id = r.customer_id
JOIN ANALYTICS.CUSTOMER_FEATURES_ENRICHED f ON f.customer_id = s.customer_id
WHERE r.delivered
GROUP BY r.campaign_id
