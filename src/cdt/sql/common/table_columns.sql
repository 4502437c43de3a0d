-- A table's columns and types, in order.
SELECT column_name, data_type, numeric_precision, numeric_scale
FROM information_schema.columns
WHERE upper(table_schema) = ? AND upper(table_name) = ?
ORDER BY ordinal_position
