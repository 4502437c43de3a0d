-- Staging for `cdt load --incremental`: a delta's rows wait here, typed like their tables,
-- until they are merged. Each incremental load empties them inside its own transaction.
CREATE TABLE IF NOT EXISTS RAW.CUSTOMERS_DELTA AS SELECT * FROM RAW.CUSTOMERS WHERE 1 = 0;
CREATE TABLE IF NOT EXISTS RAW.MONTHLY_USAGE_DELTA AS SELECT * FROM RAW.MONTHLY_USAGE WHERE 1 = 0;
CREATE TABLE IF NOT EXISTS RAW.SUPPORT_INTERACTIONS_DELTA AS
    SELECT * FROM RAW.SUPPORT_INTERACTIONS WHERE 1 = 0;
CREATE TABLE IF NOT EXISTS RAW.CAMPAIGN_RESPONSES_DELTA AS
    SELECT * FROM RAW.CAMPAIGN_RESPONSES WHERE 1 = 0;

-- The customers whose features an incremental load made stale, until the next features build
-- refreshes them (reason: the table that changed; 'external' with no customer: all of them).
CREATE TABLE IF NOT EXISTS RAW.PENDING_REFRESH (
    customer_id             VARCHAR(36),
    reason                  VARCHAR(30)
);
