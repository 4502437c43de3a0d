-- Each segment's customers and summed distance to its centroid (what drift is measured against).
SELECT segment_id, count(*) AS n, sum(distance_to_centroid) AS d
FROM ANALYTICS.CUSTOMER_SEGMENTS
GROUP BY segment_id
ORDER BY segment_id
