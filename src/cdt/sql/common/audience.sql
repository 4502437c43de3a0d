-- The customers a scenario reaches: those who match every one of its targeting filters. Used
-- as the CTE `audience`. Every filter is a bind; an empty list ('') or a NULL bound means
-- "anyone". Lists are '|'-delimited with a '|' at each end, e.g. '|Powder|Summit|'; geography
-- (regions, DMA names, places) is resolved to state, DMA and ZIP codes before it is bound.
-- Binds, in order: plans, tenure_min, tenure_max, states, region_states, dmas, zips,
-- place_zips, segments, contract_types, device_tiers, age_min, age_max (each list twice).
SELECT s.customer_id, s.segment_id
FROM ANALYTICS.CUSTOMER_SEGMENTS s
JOIN ANALYTICS.CUSTOMER_FEATURES_ENRICHED f ON f.customer_id = s.customer_id
WHERE (CAST(? AS VARCHAR) = '' OR POSITION('|' || f.plan_name || '|' IN CAST(? AS VARCHAR)) > 0)
  AND (CAST(? AS INTEGER) IS NULL OR f.tenure_months >= CAST(? AS INTEGER))
  AND (CAST(? AS INTEGER) IS NULL OR f.tenure_months <= CAST(? AS INTEGER))
  AND (CAST(? AS VARCHAR) = '' OR POSITION('|' || f.state_code || '|' IN CAST(? AS VARCHAR)) > 0)
  AND (CAST(? AS VARCHAR) = '' OR POSITION('|' || f.state_code || '|' IN CAST(? AS VARCHAR)) > 0)
  AND (CAST(? AS VARCHAR) = '' OR POSITION('|' || f.dma_code || '|' IN CAST(? AS VARCHAR)) > 0)
  AND (CAST(? AS VARCHAR) = '' OR POSITION('|' || f.zip_code || '|' IN CAST(? AS VARCHAR)) > 0)
  AND (CAST(? AS VARCHAR) = '' OR POSITION('|' || f.zip_code || '|' IN CAST(? AS VARCHAR)) > 0)
  AND (CAST(? AS VARCHAR) = '' OR POSITION('|' || s.segment_id || '|' IN CAST(? AS VARCHAR)) > 0)
  AND (CAST(? AS VARCHAR) = ''
       OR POSITION('|' || f.contract_type || '|' IN CAST(? AS VARCHAR)) > 0)
  AND (CAST(? AS VARCHAR) = '' OR POSITION('|' || f.device_tier || '|' IN CAST(? AS VARCHAR)) > 0)
  AND (CAST(? AS INTEGER) IS NULL OR f.age >= CAST(? AS INTEGER))
  AND (CAST(? AS INTEGER) IS NULL OR f.age <= CAST(? AS INTEGER))
