-- A stored sweep by its id or the id's first characters, newest first.
SELECT *
FROM HISTORY.SWEEPS
WHERE sweep_id = ? OR sweep_id LIKE ?
ORDER BY created_at DESC
