-- Stored sweeps, newest first (`cdt history`).
SELECT sweep_id, scenario_text, param, range_from, range_to, range_step, created_at
FROM HISTORY.SWEEPS
ORDER BY created_at DESC
LIMIT ?
