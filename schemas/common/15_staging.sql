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

-- What the response model's last fit read, so that a refresh refits on the counts it changed
-- (calibrate/incremental.py): each customer's bands and the fit's cells, written with the
-- model; the customers whose bands may have moved since, and the responses loaded since
-- (a row with no id: a response was replaced, so the next fit reads everything).
CREATE TABLE IF NOT EXISTS RAW.PENDING_CELLS (
    customer_id             VARCHAR(36)
);

CREATE TABLE IF NOT EXISTS RAW.PENDING_RESPONSES (
    response_id             VARCHAR(36)
);

CREATE TABLE IF NOT EXISTS ANALYTICS.RESPONSE_FIT_BANDS (
    customer_id             VARCHAR(36),
    segment_id              VARCHAR(10),
    plan_name               VARCHAR(30),
    tenure_band             INT,
    risk_band               INT,
    sensitivity_band        INT
);

CREATE TABLE IF NOT EXISTS ANALYTICS.RESPONSE_FIT_CELLS (
    campaign_id             VARCHAR(36),
    segment_id              VARCHAR(10),
    plan_name               VARCHAR(30),
    tenure_band             INT,
    risk_band               INT,
    sensitivity_band        INT,
    campaign_name           VARCHAR(100),
    campaign_type           VARCHAR(30),
    offer_type              VARCHAR(50),
    offer_value             DOUBLE,
    channel                 VARCHAR(20),
    sent_at                 TIMESTAMP_NTZ,
    accepted                DOUBLE,
    ignored                 DOUBLE,
    complained              DOUBLE,
    threatened_churn        DOUBLE,
    churned                 DOUBLE,
    upgraded                DOUBLE,
    downgraded              DOUBLE,
    delivered               DOUBLE,
    converted               DOUBLE
);
