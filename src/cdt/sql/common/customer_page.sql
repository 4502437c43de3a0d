-- One page of a segment's customers for the app's sample browser, closest to the centroid
-- first (the most typical members). Binds: segment_id, page size, offset.
SELECT
    s.customer_id,
    round(s.distance_to_centroid, 3) AS distance_to_centroid,
    f.age,
    f.state_code,
    f.urban_rural_class,
    f.plan_name,
    f.tenure_months,
    CAST(f.monthly_arpu AS DOUBLE) AS monthly_arpu,
    round(f.avg_data_usage_gb, 1) AS avg_data_usage_gb,
    f.device_brand,
    f.support_contacts_12m,
    CAST(f.churn_risk_score AS DOUBLE) AS churn_risk_score
FROM ANALYTICS.CUSTOMER_SEGMENTS s
JOIN ANALYTICS.CUSTOMER_FEATURES_ENRICHED f ON f.customer_id = s.customer_id
WHERE s.segment_id = ?
ORDER BY s.distance_to_centroid, s.customer_id
LIMIT ? OFFSET ?
