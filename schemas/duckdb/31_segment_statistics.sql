-- Segment-level aggregations: everything a persona prompt needs (spec §6.3).
-- DuckDB: JSON where Snowflake has VARIANT.
CREATE TABLE IF NOT EXISTS ANALYTICS.SEGMENT_STATISTICS (
    segment_id              VARCHAR(10),
    segment_name            VARCHAR(50),
    customer_count          INT,
    pct_of_base             DECIMAL(5,2),
    avg_arpu                DOUBLE,
    avg_tenure_months       DOUBLE,
    avg_data_usage_gb       DOUBLE,
    avg_churn_risk          DOUBLE,
    avg_sentiment_score     DOUBLE,
    price_sensitivity       DOUBLE,
    campaign_response_rate  DOUBLE,
    top_plan                VARCHAR(30),
    name_reason             VARCHAR(500),
    feature_means           JSON,        -- key features: means and medians
    mixes                   JSON,        -- plan, device, urban/rural, age and income band mixes
    top_geographies         JSON,        -- top states and DMAs
    segmentation_run_id     VARCHAR(36),
    created_at              TIMESTAMP_NTZ DEFAULT CURRENT_TIMESTAMP
);
