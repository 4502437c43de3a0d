-- Stored simulations, newest first (`cdt history`).
SELECT simulation_id, scenario_text, status, provider, model_id, started_at, finished_at, overall
FROM HISTORY.SIMULATIONS
ORDER BY started_at DESC
LIMIT ?
