-- DuckDB has no TIMESTAMP_NTZ; an alias lets the common DDL keep the spec's type names.
CREATE TYPE IF NOT EXISTS TIMESTAMP_NTZ AS TIMESTAMP;
