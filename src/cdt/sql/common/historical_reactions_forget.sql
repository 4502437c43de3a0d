-- Drop the historical reactions (rebuilt with the personas).
DELETE FROM PERSONAS.HISTORICAL_REACTIONS
