-- Every table the database holds (to find the missing ones).
SELECT table_schema, table_name FROM information_schema.tables
