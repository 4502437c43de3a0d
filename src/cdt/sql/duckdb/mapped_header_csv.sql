-- The columns of a CSV file to be mapped, as its header names them (no rows read).
SELECT * FROM read_csv(?, header = true, all_varchar = true) LIMIT 0
