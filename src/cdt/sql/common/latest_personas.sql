-- The newest persona of each segment, joined to its statistics, largest segment first.
SELECT p.*, s.customer_count, s.pct_of_base, s.avg_arpu
FROM PERSONAS.PERSONA_DEFINITIONS p
JOIN ANALYTICS.SEGMENT_STATISTICS s ON s.segment_id = p.segment_id
WHERE p.version = (
    SELECT max(version) FROM PERSONAS.PERSONA_DEFINITIONS q WHERE q.segment_id = p.segment_id
)
ORDER BY s.customer_count DESC, p.segment_id
