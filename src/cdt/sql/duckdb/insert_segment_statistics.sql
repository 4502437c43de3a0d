-- One segment's statistics; JSON columns arrive as text and DuckDB casts them to JSON.
INSERT INTO ANALYTICS.SEGMENT_STATISTICS (
    segment_id, segment_name, customer_count, pct_of_base, avg_arpu, avg_tenure_months,
    avg_data_usage_gb, avg_churn_risk, avg_sentiment_score, price_sensitivity,
    campaign_response_rate, top_plan, name_reason, feature_means, mixes, top_geographies,
    segmentation_run_id
)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
