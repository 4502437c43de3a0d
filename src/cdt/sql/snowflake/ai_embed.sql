-- AI_EMBED: one text's vector.
SELECT AI_EMBED(?, ?) AS embedding
