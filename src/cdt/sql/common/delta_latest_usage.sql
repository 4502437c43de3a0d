-- `cdt generate --delta`: each customer's latest month of usage (carried forward a month).
SELECT u.*
FROM RAW.MONTHLY_USAGE u
WHERE u.billing_month = (
    SELECT max(m.billing_month) FROM RAW.MONTHLY_USAGE m WHERE m.customer_id = u.customer_id
)
