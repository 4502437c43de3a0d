-- SNOWFLAKE.CORTEX.EMBED_TEXT_768, for accounts that still have it.
SELECT SNOWFLAKE.CORTEX.EMBED_TEXT_768(?, ?) AS embedding
