-- The schema migrations this twin has had (cdt.migrations).
SELECT migration_id FROM APP.SCHEMA_MIGRATIONS
