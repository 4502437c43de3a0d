-- The k historical reactions of a segment most similar to the scenario (cosine similarity).
SELECT h.reaction_id, h.event_type, h.event_description, h.event_date, h.reaction_summary,
       h.outcome_rates, e.model_id,
       VECTOR_COSINE_SIMILARITY(e.embedding, PARSE_JSON(?)::VECTOR(FLOAT, 768)) AS similarity
FROM PERSONAS.PERSONA_EMBEDDINGS e
JOIN PERSONAS.HISTORICAL_REACTIONS h ON h.reaction_id = e.source_id
WHERE e.segment_id = ? AND e.model_id = ?
ORDER BY similarity DESC
LIMIT ?
