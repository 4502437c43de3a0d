-- Per segment, what a persona's identity is drawn from: the median age, the share of women,
-- and the most common places (ZIP name and state) among its customers, most customers first.
SELECT
    s.segment_id,
    MEDIAN(f.age) AS median_age,
    AVG(CASE WHEN f.gender = 'Female' THEN 1.0 ELSE 0.0 END) AS female_share,
    CAST(NULL AS VARCHAR) AS zip_name,
    CAST(NULL AS VARCHAR) AS state_code,
    CAST(COUNT(*) AS BIGINT) AS n
FROM ANALYTICS.CUSTOMER_SEGMENTS s
JOIN ANALYTICS.CUSTOMER_FEATURES_ENRICHED f ON f.customer_id = s.customer_id
GROUP BY s.segment_id
UNION ALL
SELECT segment_id, NULL, NULL, zip_name, state_code, n
FROM (
    SELECT
        s.segment_id,
        z.zip_name,
        z.state_code,
        CAST(COUNT(*) AS BIGINT) AS n,
        ROW_NUMBER() OVER (
            PARTITION BY s.segment_id ORDER BY COUNT(*) DESC, z.zip_name, z.state_code
        ) AS place_rank
    FROM ANALYTICS.CUSTOMER_SEGMENTS s
    JOIN ANALYTICS.CUSTOMER_FEATURES_ENRICHED f ON f.customer_id = s.customer_id
    JOIN EXTERNAL.ZIP_DEMOGRAPHICS z ON z.zip_code = f.zip_code
    GROUP BY s.segment_id, z.zip_name, z.state_code
) ranked
WHERE place_rank <= 5
ORDER BY 1, 4 NULLS FIRST, 6 DESC
