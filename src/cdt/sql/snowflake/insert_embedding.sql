-- One vector: bound as JSON text, cast to Snowflake's VECTOR type.
INSERT INTO PERSONAS.PERSONA_EMBEDDINGS (
    embedding_id, source_table, source_id, segment_id, content, model_id, embedding
)
SELECT ?, ?, ?, ?, ?, ?, PARSE_JSON(?)::VECTOR(FLOAT, 768)
