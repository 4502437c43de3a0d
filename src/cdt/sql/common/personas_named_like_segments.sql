-- How many current segments have a persona written for them under their current name.
SELECT count(DISTINCT p.segment_id)
FROM PERSONAS.PERSONA_DEFINITIONS p
JOIN ANALYTICS.SEGMENT_STATISTICS s
    ON s.segment_id = p.segment_id AND s.segment_name = p.segment_name
