-- A stored simulation by its id or the id's first characters, newest first.
SELECT *
FROM HISTORY.SIMULATIONS
WHERE simulation_id = ? OR simulation_id LIKE ?
ORDER BY started_at DESC
