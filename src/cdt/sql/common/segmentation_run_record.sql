-- A segmentation run: its k, features, fitted model and scores.
INSERT INTO ANALYTICS.SEGMENTATION_RUNS (segmentation_run_id, k, n_customers,
    feature_list, model, silhouette, k_scores)
VALUES (?, ?, ?, ?, ?, ?, ?)
