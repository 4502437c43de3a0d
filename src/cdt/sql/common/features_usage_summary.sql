-- ANALYTICS.CUSTOMER_USAGE_SUMMARY (spec §6.2): one row per customer with usage.
-- data_trend_3m is the least-squares slope of data GB over the customer's last three billing
-- months, in GB per month (0 with a single month). Every aggregate is cast to DOUBLE so both dialects agree.
-- Bind: TRUE for every customer; FALSE for only those in RAW.PENDING_REFRESH (a refresh).
INSERT INTO ANALYTICS.CUSTOMER_USAGE_SUMMARY (
    customer_id, months_observed, avg_data_usage_gb, avg_voice_minutes, data_trend_3m,
    overage_frequency, avg_bill_amount, avg_roaming_days, avg_throttled_days, late_payment_share
)
WITH ranked AS (
    SELECT
        customer_id,
        CAST(data_usage_gb AS DOUBLE) AS data_gb,
        YEAR(billing_month) * 12 + MONTH(billing_month) AS month_number,
        ROW_NUMBER() OVER (PARTITION BY customer_id ORDER BY billing_month DESC) AS recency
    FROM RAW.MONTHLY_USAGE r
    WHERE (CAST(? AS BOOLEAN) OR r.customer_id IN (SELECT customer_id FROM RAW.PENDING_REFRESH))
),
last3 AS (
    SELECT
        customer_id,
        COUNT(*) AS n,
        MAX(CASE WHEN recency = 1 THEN month_number END) AS x1,
        MAX(CASE WHEN recency = 2 THEN month_number END) AS x2,
        MAX(CASE WHEN recency = 3 THEN month_number END) AS x3,
        MAX(CASE WHEN recency = 1 THEN data_gb END) AS y1,
        MAX(CASE WHEN recency = 2 THEN data_gb END) AS y2,
        MAX(CASE WHEN recency = 3 THEN data_gb END) AS y3
    FROM ranked
    WHERE recency <= 3
    GROUP BY customer_id
),
-- The slope in closed form over the months taken newest first (a = 3x - sum of x, whole
-- numbers): the same sums in the same order whichever rows a build reads with it, so a
-- refresh of some customers gives the bits a full build gives.
centred AS (
    SELECT customer_id, n, y1, y2, y3, x1, x2,
        3 * x1 - (x1 + x2 + x3) AS a1, 3 * x2 - (x1 + x2 + x3) AS a2,
        3 * x3 - (x1 + x2 + x3) AS a3
    FROM last3
),
trend AS (
    SELECT
        customer_id,
        CASE WHEN n = 2 THEN (y1 - y2) / CAST(x1 - x2 AS DOUBLE)
             WHEN n = 3 THEN 3.0 * ((a1 * y1 + a2 * y2) + a3 * y3)
                             / CAST(a1 * a1 + a2 * a2 + a3 * a3 AS DOUBLE)
             ELSE 0.0 END AS data_trend_3m
    FROM centred
)
SELECT
    u.customer_id,
    CAST(COUNT(*) AS INT),
    AVG(CAST(u.data_usage_gb AS DOUBLE)),
    AVG(CAST(u.voice_minutes_onnet + u.voice_minutes_offnet + u.voice_minutes_intl AS DOUBLE)),
    MAX(COALESCE(t.data_trend_3m, 0.0)),
    AVG(CASE WHEN u.overage_charges > 0 THEN 1.0 ELSE 0.0 END),
    AVG(CAST(u.total_bill AS DOUBLE)),
    AVG(CAST(u.roaming_days AS DOUBLE)),
    AVG(CAST(u.data_throttled_days AS DOUBLE)),
    AVG(CASE WHEN u.payment_status IN ('Late', 'Unpaid') THEN 1.0 ELSE 0.0 END)
FROM RAW.MONTHLY_USAGE u
LEFT JOIN trend t ON t.customer_id = u.customer_id
WHERE (CAST(? AS BOOLEAN) OR u.customer_id IN (SELECT customer_id FROM RAW.PENDING_REFRESH))
GROUP BY u.customer_id
