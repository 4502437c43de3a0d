-- ANALYTICS.CUSTOMER_INTERACTION_SUMMARY (spec §6.2): one row per customer, contacts in the
-- 12 months before the latest contact in the data. Customers without contacts get 0 contacts
-- and NULL averages. Bind (twice): TRUE for every customer; FALSE for only those in
-- RAW.PENDING_REFRESH (a refresh).
INSERT INTO ANALYTICS.CUSTOMER_INTERACTION_SUMMARY (
    customer_id, support_contacts_12m, avg_sentiment_score, complaint_rate,
    first_contact_resolution_rate, avg_csat, pct_channel_phone, pct_channel_chat,
    pct_channel_app, pct_channel_store, pct_channel_email, pct_channel_social
)
WITH window_start AS (
    SELECT MAX(interaction_date) - INTERVAL '12 months' AS since
    FROM RAW.SUPPORT_INTERACTIONS
),
recent AS (
    SELECT i.*
    FROM RAW.SUPPORT_INTERACTIONS i, window_start w
    WHERE i.interaction_date > w.since
      AND (CAST(? AS BOOLEAN) OR i.customer_id IN (SELECT customer_id FROM RAW.PENDING_REFRESH))
)
SELECT
    c.customer_id,
    CAST(COUNT(r.interaction_id) AS INT),
    AVG(CAST(r.sentiment_score AS DOUBLE)),
    AVG(CASE WHEN r.category = 'Complaint' THEN 1.0 WHEN r.interaction_id IS NOT NULL THEN 0.0 END),
    AVG(CASE WHEN r.first_contact_resolution THEN 1.0
             WHEN r.interaction_id IS NOT NULL THEN 0.0 END),
    AVG(CAST(r.csat_score AS DOUBLE)),
    AVG(CASE WHEN r.channel = 'Phone' THEN 1.0 WHEN r.interaction_id IS NOT NULL THEN 0.0 END),
    AVG(CASE WHEN r.channel = 'Chat' THEN 1.0 WHEN r.interaction_id IS NOT NULL THEN 0.0 END),
    AVG(CASE WHEN r.channel = 'App' THEN 1.0 WHEN r.interaction_id IS NOT NULL THEN 0.0 END),
    AVG(CASE WHEN r.channel = 'Store' THEN 1.0 WHEN r.interaction_id IS NOT NULL THEN 0.0 END),
    AVG(CASE WHEN r.channel = 'Email' THEN 1.0 WHEN r.interaction_id IS NOT NULL THEN 0.0 END),
    AVG(CASE WHEN r.channel = 'Social' THEN 1.0 WHEN r.interaction_id IS NOT NULL THEN 0.0 END)
FROM RAW.CUSTOMERS c
LEFT JOIN recent r ON r.customer_id = c.customer_id
WHERE (CAST(? AS BOOLEAN) OR c.customer_id IN (SELECT customer_id FROM RAW.PENDING_REFRESH))
GROUP BY c.customer_id
