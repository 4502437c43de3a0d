-- Build bookkeeping: which input each stage last built from, so `cdt build` can skip stages
-- whose inputs have not changed. Written in the same transaction as the stage's tables.
CREATE TABLE IF NOT EXISTS APP.BUILD_STATE (
    stage                   VARCHAR(30),
    fingerprint             VARCHAR(64),
    details                 VARCHAR(4000),
    finished_at             TIMESTAMP_NTZ DEFAULT CURRENT_TIMESTAMP
);

-- Schema migrations applied to this twin (cdt.migrations): each once, in number order.
CREATE TABLE IF NOT EXISTS APP.SCHEMA_MIGRATIONS (
    migration_id            INTEGER,
    name                    VARCHAR(100),
    applied_at              TIMESTAMP_NTZ DEFAULT CURRENT_TIMESTAMP
);
