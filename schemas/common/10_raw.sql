-- Internal, first-party data (spec §3.1). Columns and types are the spec's.
-- Keys are not declared: Snowflake would not enforce them and DuckDB would slow every bulk
-- load; `cdt load` checks referential integrity explicitly instead.

CREATE TABLE IF NOT EXISTS RAW.CUSTOMERS (
    -- Identity
    customer_id             VARCHAR(36),
    account_id              VARCHAR(20),

    -- Location (links to external data)
    zip_code                VARCHAR(5),
    state_code              VARCHAR(2),
    dma_code                VARCHAR(3),

    -- Demographics
    age                     INT,  -- check: 0..120
    gender                  VARCHAR(10),

    -- Account Details
    customer_since          DATE,  -- check: dates
    tenure_months           INT,  -- check: 0..1200
    acquisition_channel     VARCHAR(30),

    -- Current Plan
    plan_name               VARCHAR(30),
    plan_category           VARCHAR(20),
    plan_price              DECIMAL(6,2),  -- check: 0..
    lines_on_account        INT,  -- check: 0..
    contract_type           VARCHAR(20),
    contract_end_date       DATE,  -- check: dates

    -- Device
    device_brand            VARCHAR(30),
    device_model            VARCHAR(50),
    device_tier             VARCHAR(20),
    device_os               VARCHAR(20),
    device_age_months       INT,  -- check: 0..600
    is_5g_capable           BOOLEAN,

    -- Financial
    monthly_arpu            DECIMAL(8,2),  -- check: 0..
    lifetime_value          DECIMAL(10,2),  -- check: 0..
    total_revenue_12m       DECIMAL(10,2),  -- check: 0..
    payment_method          VARCHAR(20),
    autopay_enrolled        BOOLEAN,
    paperless_billing       BOOLEAN,
    credit_class            VARCHAR(10),

    -- Add-Ons
    has_device_protection   BOOLEAN,
    has_intl_roaming        BOOLEAN,
    has_streaming_bundle    BOOLEAN,

    -- Loyalty
    rewards_member          BOOLEAN,
    rewards_tier            VARCHAR(20),
    rewards_points_balance  INT,  -- check: 0..

    -- Engagement
    app_user                BOOLEAN,
    app_engagement_score    DECIMAL(3,2),  -- check: 0..1
    last_app_login          DATE,  -- check: dates
    nps_score               INT,  -- check: 0..10
    nps_survey_date         DATE,  -- check: dates

    -- Risk Indicators
    churn_risk_score        DECIMAL(3,2),  -- check: 0..1
    predicted_churn_reason  VARCHAR(50),
    complaint_count_12m     INT,  -- check: 0..

    -- Timestamps
    created_at              TIMESTAMP_NTZ DEFAULT CURRENT_TIMESTAMP,
    updated_at              TIMESTAMP_NTZ DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE IF NOT EXISTS RAW.MONTHLY_USAGE (
    usage_id                VARCHAR(36),
    customer_id             VARCHAR(36),
    billing_month           DATE,  -- check: dates

    -- Voice
    voice_minutes_onnet     INT,  -- check: 0..
    voice_minutes_offnet    INT,  -- check: 0..
    voice_minutes_intl      INT,  -- check: 0..
    voice_calls_count       INT,  -- check: 0..

    -- Data
    data_usage_gb           DECIMAL(10,3),  -- check: 0..
    data_usage_4g_pct       DECIMAL(5,2),  -- check: 0..100
    data_usage_5g_pct       DECIMAL(5,2),  -- check: 0..100
    data_throttled_days     INT,  -- check: 0..

    -- Messaging
    sms_sent                INT,  -- check: 0..
    mms_sent                INT,  -- check: 0..

    -- Roaming
    roaming_days            INT,  -- check: 0..
    roaming_data_gb         DECIMAL(10,3),  -- check: 0..
    roaming_voice_min       INT,  -- check: 0..

    -- Financials
    base_charge             DECIMAL(10,2),  -- check: 0..
    overage_charges         DECIMAL(10,2),  -- check: 0..
    roaming_charges         DECIMAL(10,2),  -- check: 0..
    add_on_charges          DECIMAL(10,2),  -- check: 0..
    discounts_applied       DECIMAL(10,2),  -- check: 0..
    total_bill              DECIMAL(10,2),  -- check: 0..

    -- Payment
    payment_status          VARCHAR(20),
    days_to_payment         INT  -- check: 0..
);

CREATE TABLE IF NOT EXISTS RAW.SUPPORT_INTERACTIONS (
    interaction_id          VARCHAR(36),
    customer_id             VARCHAR(36),
    interaction_date        TIMESTAMP_NTZ,  -- check: dates

    -- Channel
    channel                 VARCHAR(20),

    -- Classification
    category                VARCHAR(50),
    subcategory             VARCHAR(50),
    intent                  VARCHAR(100),

    -- Resolution
    resolution_status       VARCHAR(20),
    resolution_time_hours   DECIMAL(10,2),  -- check: 0..
    first_contact_resolution BOOLEAN,

    -- Sentiment
    sentiment_score         DECIMAL(3,2),  -- check: -1..1
    csat_score              INT,  -- check: 1..5

    -- Content
    interaction_summary     VARCHAR(1000),
    customer_verbatim       VARCHAR(2000)
);

CREATE TABLE IF NOT EXISTS RAW.CAMPAIGN_RESPONSES (
    response_id             VARCHAR(36),
    customer_id             VARCHAR(36),
    campaign_id             VARCHAR(36),

    -- Campaign Details
    campaign_name           VARCHAR(100),
    campaign_type           VARCHAR(30),
    campaign_category       VARCHAR(50),
    offer_type              VARCHAR(50),
    offer_value             DECIMAL(10,2),

    -- Delivery
    channel                 VARCHAR(20),
    sent_at                 TIMESTAMP_NTZ,  -- check: dates
    delivered               BOOLEAN,

    -- Response
    opened                  BOOLEAN,
    clicked                 BOOLEAN,
    responded               BOOLEAN,
    response_type           VARCHAR(30),
    response_at             TIMESTAMP_NTZ,  -- check: dates

    -- Outcome
    converted               BOOLEAN,
    conversion_value        DECIMAL(10,2)  -- check: 0..
);
