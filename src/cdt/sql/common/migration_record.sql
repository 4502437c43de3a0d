-- Records one applied schema migration, in its migration's transaction.
INSERT INTO APP.SCHEMA_MIGRATIONS (migration_id, name) VALUES (?, ?)
