-- A refresh: mark the customers whose contacts left the 12-month window (it ends at the
-- newest contact) between the last features build and now. Binds: that build's newest
-- contact, the newest contact now.
INSERT INTO RAW.PENDING_REFRESH (customer_id, reason)
SELECT DISTINCT customer_id, 'window'
FROM RAW.SUPPORT_INTERACTIONS
WHERE interaction_date > CAST(? AS TIMESTAMP) - INTERVAL '12 months'
  AND interaction_date <= CAST(? AS TIMESTAMP) - INTERVAL '12 months'
