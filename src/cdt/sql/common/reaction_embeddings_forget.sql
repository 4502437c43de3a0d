-- Drop the historical reactions' embeddings (they are rebuilt with the reactions).
DELETE FROM PERSONAS.PERSONA_EMBEDDINGS WHERE source_table = ?
