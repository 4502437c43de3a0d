-- The newest segmentation run's features and model (its segment ids are kept where they match).
SELECT feature_list, model FROM ANALYTICS.SEGMENTATION_RUNS
ORDER BY created_at DESC
LIMIT 1
