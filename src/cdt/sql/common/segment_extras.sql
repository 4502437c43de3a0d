-- Per segment: channel mix of support contacts and the most frequent complaint topics.
SELECT
    s.segment_id,
    'channel' AS kind,
    i.channel AS label,
    COUNT(*) AS n
FROM RAW.SUPPORT_INTERACTIONS i
JOIN ANALYTICS.CUSTOMER_SEGMENTS s ON s.customer_id = i.customer_id
GROUP BY s.segment_id, i.channel
UNION ALL
SELECT
    s.segment_id,
    'complaint' AS kind,
    i.subcategory AS label,
    COUNT(*) AS n
FROM RAW.SUPPORT_INTERACTIONS i
JOIN ANALYTICS.CUSTOMER_SEGMENTS s ON s.customer_id = i.customer_id
WHERE i.category = 'Complaint'
GROUP BY s.segment_id, i.subcategory
ORDER BY 1, 2, 4 DESC, 3
