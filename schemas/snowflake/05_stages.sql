-- The internal stage data is loaded through (spec §6.1): PUT files, then COPY INTO.
CREATE STAGE IF NOT EXISTS RAW.DATA_STAGE;
