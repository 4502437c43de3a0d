-- Real verbatims of the given segments for voices: for each segment and subcategory, the most
-- negative and the most positive contact (ties by id, deterministic). ? = the segment ids as
-- a list.
WITH ranked AS (
    SELECT
        s.segment_id,
        i.category,
        i.subcategory,
        CAST(i.sentiment_score AS DOUBLE) AS sentiment,
        i.customer_verbatim,
        ROW_NUMBER() OVER (PARTITION BY s.segment_id, i.subcategory
                           ORDER BY i.sentiment_score ASC, i.interaction_id) AS low_rank,
        ROW_NUMBER() OVER (PARTITION BY s.segment_id, i.subcategory
                           ORDER BY i.sentiment_score DESC, i.interaction_id) AS high_rank
    FROM RAW.SUPPORT_INTERACTIONS i
    JOIN ANALYTICS.CUSTOMER_SEGMENTS s ON s.customer_id = i.customer_id
    WHERE i.customer_verbatim IS NOT NULL
)
SELECT segment_id, category, subcategory, sentiment, customer_verbatim
FROM ranked
WHERE low_rank = 1 OR high_rank = 1
ORDER BY segment_id, subcategory, sentiment
