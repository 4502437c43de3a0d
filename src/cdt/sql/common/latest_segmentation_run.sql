-- The newest segmentation run: its features and its stored model (preprocessing, centroids).
SELECT segmentation_run_id, feature_list, model
FROM ANALYTICS.SEGMENTATION_RUNS
ORDER BY created_at DESC
LIMIT 1
