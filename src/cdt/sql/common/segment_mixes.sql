-- Per segment, how many of its customers have each value of the mix columns of
-- segment.statistics (MIX_COLUMNS, state_code and dma_code; tests/hardening/test_sql_files.py checks
-- that they agree): one row per (segment, column, value). A missing value counts as
-- '(unknown)'. Age and ZIP-income bands are left-closed, as in statistics.AGE_BANDS and
-- INCOME_BANDS.
WITH x AS (
    SELECT
        s.segment_id,
        COALESCE(CAST(f.plan_name AS VARCHAR), '(unknown)') AS plan_name,
        COALESCE(CAST(f.contract_type AS VARCHAR), '(unknown)') AS contract_type,
        COALESCE(CAST(f.device_tier AS VARCHAR), '(unknown)') AS device_tier,
        COALESCE(CAST(f.device_brand AS VARCHAR), '(unknown)') AS device_brand,
        COALESCE(CAST(f.device_os AS VARCHAR), '(unknown)') AS device_os,
        COALESCE(CAST(f.urban_rural_class AS VARCHAR), '(unknown)') AS urban_rural_class,
        COALESCE(CAST(f.gender AS VARCHAR), '(unknown)') AS gender,
        COALESCE(CAST(f.rewards_tier AS VARCHAR), '(unknown)') AS rewards_tier,
        COALESCE(CAST(f.state_code AS VARCHAR), '(unknown)') AS state_code,
        COALESCE(CAST(f.dma_code AS VARCHAR), '(unknown)') AS dma_code,
        CASE WHEN f.age IS NULL THEN '(unknown)' WHEN f.age < 25 THEN '18-24'
             WHEN f.age < 35 THEN '25-34' WHEN f.age < 45 THEN '35-44'
             WHEN f.age < 55 THEN '45-54' WHEN f.age < 65 THEN '55-64' ELSE '65+' END
            AS age_band,
        CASE WHEN f.median_household_income IS NULL THEN '(unknown)'
             WHEN f.median_household_income < 40000 THEN '<$40K'
             WHEN f.median_household_income < 60000 THEN '$40-60K'
             WHEN f.median_household_income < 80000 THEN '$60-80K'
             WHEN f.median_household_income < 100000 THEN '$80-100K' ELSE '$100K+' END
            AS income_band
    FROM ANALYTICS.CUSTOMER_SEGMENTS s
    JOIN ANALYTICS.CUSTOMER_FEATURES_ENRICHED f ON f.customer_id = s.customer_id
)
SELECT segment_id, 'plan_name' AS mix_column, plan_name AS mix_value, CAST(COUNT(*) AS BIGINT) AS customers
FROM x GROUP BY segment_id, plan_name
UNION ALL
SELECT segment_id, 'contract_type' AS mix_column, contract_type AS mix_value, CAST(COUNT(*) AS BIGINT) AS customers
FROM x GROUP BY segment_id, contract_type
UNION ALL
SELECT segment_id, 'device_tier' AS mix_column, device_tier AS mix_value, CAST(COUNT(*) AS BIGINT) AS customers
FROM x GROUP BY segment_id, device_tier
UNION ALL
SELECT segment_id, 'device_brand' AS mix_column, device_brand AS mix_value, CAST(COUNT(*) AS BIGINT) AS customers
FROM x GROUP BY segment_id, device_brand
UNION ALL
SELECT segment_id, 'device_os' AS mix_column, device_os AS mix_value, CAST(COUNT(*) AS BIGINT) AS customers
FROM x GROUP BY segment_id, device_os
UNION ALL
SELECT segment_id, 'urban_rural_class' AS mix_column, urban_rural_class AS mix_value, CAST(COUNT(*) AS BIGINT) AS customers
FROM x GROUP BY segment_id, urban_rural_class
UNION ALL
SELECT segment_id, 'gender' AS mix_column, gender AS mix_value, CAST(COUNT(*) AS BIGINT) AS customers
FROM x GROUP BY segment_id, gender
UNION ALL
SELECT segment_id, 'rewards_tier' AS mix_column, rewards_tier AS mix_value, CAST(COUNT(*) AS BIGINT) AS customers
FROM x GROUP BY segment_id, rewards_tier
UNION ALL
SELECT segment_id, 'age_band' AS mix_column, age_band AS mix_value, CAST(COUNT(*) AS BIGINT) AS customers
FROM x GROUP BY segment_id, age_band
UNION ALL
SELECT segment_id, 'income_band' AS mix_column, income_band AS mix_value, CAST(COUNT(*) AS BIGINT) AS customers
FROM x GROUP BY segment_id, income_band
UNION ALL
SELECT segment_id, 'state_code' AS mix_column, state_code AS mix_value, CAST(COUNT(*) AS BIGINT) AS customers
FROM x GROUP BY segment_id, state_code
UNION ALL
SELECT segment_id, 'dma_code' AS mix_column, dma_code AS mix_value, CAST(COUNT(*) AS BIGINT) AS customers
FROM x GROUP BY segment_id, dma_code
