-- Derived analytics (spec §3.3, §6.2-6.3). Written by `cdt features` and `cdt segment`.
-- Aggregates are DOUBLE on purpose: DuckDB and Snowflake differ in decimal division, so the
-- feature SQL casts to DOUBLE and both backends store the same values.

CREATE TABLE IF NOT EXISTS ANALYTICS.CUSTOMER_USAGE_SUMMARY (
    customer_id             VARCHAR(36),
    months_observed         INT,
    avg_data_usage_gb       DOUBLE,
    avg_voice_minutes       DOUBLE,
    data_trend_3m           DOUBLE,      -- slope of data GB over the last 3 months, GB/month
    overage_frequency       DOUBLE,      -- share of months with overage charges
    avg_bill_amount         DOUBLE,
    avg_roaming_days        DOUBLE,
    avg_throttled_days      DOUBLE,
    late_payment_share      DOUBLE       -- share of bills paid late or not at all
);

CREATE TABLE IF NOT EXISTS ANALYTICS.CUSTOMER_INTERACTION_SUMMARY (
    customer_id             VARCHAR(36),
    support_contacts_12m    INT,
    avg_sentiment_score     DOUBLE,
    complaint_rate          DOUBLE,      -- share of contacts that were complaints
    first_contact_resolution_rate DOUBLE,
    avg_csat                DOUBLE,
    pct_channel_phone       DOUBLE,
    pct_channel_chat        DOUBLE,
    pct_channel_app         DOUBLE,
    pct_channel_store       DOUBLE,
    pct_channel_email       DOUBLE,
    pct_channel_social      DOUBLE
);

CREATE TABLE IF NOT EXISTS ANALYTICS.CUSTOMER_FEATURES_ENRICHED (
    customer_id             VARCHAR(36),
    zip_code                VARCHAR(5),
    state_code              VARCHAR(2),
    dma_code                VARCHAR(3),
    age                     INT,
    gender                  VARCHAR(10),
    tenure_months           INT,
    plan_name               VARCHAR(30),
    plan_category           VARCHAR(20),
    plan_price              DECIMAL(6,2),
    lines_on_account        INT,
    contract_type           VARCHAR(20),
    monthly_arpu            DECIMAL(8,2),
    lifetime_value          DECIMAL(10,2),
    device_brand            VARCHAR(30),
    device_os               VARCHAR(20),
    device_tier             VARCHAR(20),
    is_5g_capable           BOOLEAN,
    app_engagement_score    DECIMAL(3,2),
    rewards_tier            VARCHAR(20),
    nps_score               INT,
    churn_risk_score        DECIMAL(3,2),
    complaint_count_12m     INT,
    avg_data_usage_gb       DOUBLE,
    avg_voice_minutes       DOUBLE,
    data_trend_3m           DOUBLE,
    overage_frequency       DOUBLE,
    avg_bill_amount         DOUBLE,
    support_contacts_12m    INT,
    avg_sentiment_score     DOUBLE,
    complaint_rate          DOUBLE,
    total_population        INT,
    population_density      DECIMAL(10,2),
    urban_rural_class       VARCHAR(20),
    median_household_income INT,
    zip_median_age          DECIMAL(4,1),
    zip_education           DECIMAL(5,2),
    pct_family_households   DECIMAL(5,2),
    cost_of_living_index    DECIMAL(5,1),
    unemployment_rate       DECIMAL(4,2),
    zip_credit_score        INT,
    poverty_rate            DECIMAL(5,2),
    local_market_share      DECIMAL(5,2),
    price_war_intensity     VARCHAR(10),
    competitor_avg_price    DOUBLE,
    primary_lifestyle       VARCHAR(50),
    tech_adoption_score     INT,
    price_sensitivity_index INT,
    brand_loyalty_index     INT,
    early_adopter_index     INT,
    zip_switch_propensity   DECIMAL(5,2),
    deal_seeker_index       INT,
    price_position_ratio    DOUBLE,
    wallet_share_pct        DOUBLE,
    monthly_value           DOUBLE,
    adjusted_churn_risk     DOUBLE
);

CREATE TABLE IF NOT EXISTS ANALYTICS.CUSTOMER_SEGMENTS (
    customer_id             VARCHAR(36),
    segment_id              VARCHAR(10),
    segment_name            VARCHAR(50),
    distance_to_centroid    DOUBLE,
    segmentation_run_id     VARCHAR(36),
    assigned_at             TIMESTAMP_NTZ DEFAULT CURRENT_TIMESTAMP
);

-- One row per segmentation run: the features, preprocessing and centroids that produced the
-- assignments, as JSON text (portable across dialects), so runs can be compared and reused.
CREATE TABLE IF NOT EXISTS ANALYTICS.SEGMENTATION_RUNS (
    segmentation_run_id     VARCHAR(36),
    k                       INT,
    n_customers             INT,
    feature_list            TEXT,
    model                   TEXT,
    silhouette              DOUBLE,
    k_scores                TEXT,
    created_at              TIMESTAMP_NTZ DEFAULT CURRENT_TIMESTAMP
);

-- One row per fitted response model (`cdt calibrate`): the multinomial logit's inputs,
-- coefficients and bootstrap replicates as JSON text, so a simulation can be traced to the
-- exact model that produced its numbers.
CREATE TABLE IF NOT EXISTS ANALYTICS.RESPONSE_MODELS (
    model_id                VARCHAR(36),
    fingerprint             VARCHAR(64),
    n_cells                 INT,
    n_responses             BIGINT,
    vocabulary              TEXT,
    feature_names           TEXT,
    coefficients            TEXT,
    replicates              TEXT,
    facts                   TEXT,        -- channel mix, conversion ratios, ranges seen
    fit_seconds             DOUBLE,
    created_at              TIMESTAMP_NTZ DEFAULT CURRENT_TIMESTAMP
);

-- One row per backtest (`cdt backtest`): held-out campaigns, metrics per method and rate,
-- each held-out (campaign, segment) prediction, and the blend weight the LLM earned.
CREATE TABLE IF NOT EXISTS ANALYTICS.RESPONSE_BACKTESTS (
    backtest_id             VARCHAR(36),
    model_id                VARCHAR(36),
    holdout                 TEXT,
    summary                 TEXT,
    units                   TEXT,
    llm_weight              DOUBLE,
    created_at              TIMESTAMP_NTZ DEFAULT CURRENT_TIMESTAMP
);
