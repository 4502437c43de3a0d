-- A segment's most recent historical reactions (when no vectors compare).
SELECT reaction_id, event_type, event_description, event_date, reaction_summary,
    outcome_rates
FROM PERSONAS.HISTORICAL_REACTIONS
WHERE segment_id = ?
ORDER BY event_date DESC, reaction_id
LIMIT ?
