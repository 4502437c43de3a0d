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
    age                     INT,
    gender                  VARCHAR(10),

    -- Account Details
    customer_since          DATE,
    tenure_months           INT,
    acquisition_channel     VARCHAR(30),

    -- Current Plan
    plan_name               VARCHAR(30),
    plan_category           VARCHAR(20),
    plan_price              DECIMAL(6,2),
    lines_on_account        INT,
    contract_type           VARCHAR(20),
    contract_end_date       DATE,

    -- Device
    device_brand            VARCHAR(30),
    device_model            VARCHAR(50),
    device_tier             VARCHAR(20),
    device_os               VARCHAR(20),
    device_age_months       INT,
    is_5g_capable           BOOLEAN,

    -- Financial
    monthly_arpu            DECIMAL(8,2),
    lifetime_value          DECIMAL(10,2),
    total_revenue_12m       DECIMAL(10,2),
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
    rewards_points_balance  INT,

    -- Engagement
    app_user                BOOLEAN,
    app_engagement_score    DECIMAL(3,2),
    last_app_login          DATE,
    nps_score               INT,
    nps_survey_date         DATE,

    -- Risk Indicators
    churn_risk_score        DECIMAL(3,2),
    predicted_churn_reason  VARCHAR(50),
    complaint_count_12m     INT,

    -- Timestamps
    created_at              TIMESTAMP_NTZ DEFAULT CURRENT_TIMESTAMP,
    updated_at              TIMESTAMP_NTZ DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE IF NOT EXISTS RAW.MONTHLY_USAGE (
    usage_id                VARCHAR(36),
    customer_id             VARCHAR(36),
    billing_month           DATE,

    -- Voice
    voice_minutes_onnet     INT,
    voice_minutes_offnet    INT,
    voice_minutes_intl      INT,
    voice_calls_count       INT,

    -- Data
    data_usage_gb           DECIMAL(10,3),
    data_usage_4g_pct       DECIMAL(5,2),
    data_usage_5g_pct       DECIMAL(5,2),
    data_throttled_days     INT,

    -- Messaging
    sms_sent                INT,
    mms_sent                INT,

    -- Roaming
    roaming_days            INT,
    roaming_data_gb         DECIMAL(10,3),
    roaming_voice_min       INT,

    -- Financials
    base_charge             DECIMAL(10,2),
    overage_charges         DECIMAL(10,2),
    roaming_charges         DECIMAL(10,2),
    add_on_charges          DECIMAL(10,2),
    discounts_applied       DECIMAL(10,2),
    total_bill              DECIMAL(10,2),

    -- Payment
    payment_status          VARCHAR(20),
    days_to_payment         INT
);

CREATE TABLE IF NOT EXISTS RAW.SUPPORT_INTERACTIONS (
    interaction_id          VARCHAR(36),
    customer_id             VARCHAR(36),
    interaction_date        TIMESTAMP_NTZ,

    -- Channel
    channel                 VARCHAR(20),

    -- Classification
    category                VARCHAR(50),
    subcategory             VARCHAR(50),
    intent                  VARCHAR(100),

    -- Resolution
    resolution_status       VARCHAR(20),
    resolution_time_hours   DECIMAL(10,2),
    first_contact_resolution BOOLEAN,

    -- Sentiment
    sentiment_score         DECIMAL(3,2),
    csat_score              INT,

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
    sent_at                 TIMESTAMP_NTZ,
    delivered               BOOLEAN,

    -- Response
    opened                  BOOLEAN,
    clicked                 BOOLEAN,
    responded               BOOLEAN,
    response_type           VARCHAR(30),
    response_at             TIMESTAMP_NTZ,

    -- Outcome
    converted               BOOLEAN,
    conversion_value        DECIMAL(10,2)
);
