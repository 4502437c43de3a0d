-- Each segment's latest persona version.
SELECT segment_id, max(version) AS v FROM PERSONAS.PERSONA_DEFINITIONS GROUP BY segment_id
