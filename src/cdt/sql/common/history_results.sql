-- A stored simulation's per-segment results, largest segment first.
SELECT reaction
FROM HISTORY.SIMULATION_RESULTS
WHERE simulation_id = ?
ORDER BY customer_count DESC, segment_id
