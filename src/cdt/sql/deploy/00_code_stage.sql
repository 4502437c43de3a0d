-- cdt deploy: the stage that holds cdt's code (the SIMULATE_SCENARIO handler imports it) and
-- the Streamlit in Snowflake app's files. Idempotent.
CREATE STAGE IF NOT EXISTS AGENTS.CDT_CODE
    COMMENT = 'cdt: the code of AGENTS.SIMULATE_SCENARIO and of the Streamlit app';
