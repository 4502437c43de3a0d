-- The columns of a Parquet file to be mapped (no rows read).
SELECT * FROM read_parquet(?) LIMIT 0
