-- cdt deploy: the five-page app as a Streamlit in Snowflake app (warehouse runtime), from the
-- files `cdt deploy` puts on @AGENTS.CDT_CODE/app (streamlit_app.py, environment.yml and the
-- cdt package). Inside Snowflake the app uses the viewer's active session
-- (snowflake.session = 'active') with the grants of the role it runs as.
CREATE OR REPLACE STREAMLIT AGENTS.SNOWMOBILE_DIGITAL_TWIN
    FROM '@AGENTS.CDT_CODE/app'
    MAIN_FILE = 'streamlit_app.py'
    QUERY_WAREHOUSE = {{app_warehouse}}
    TITLE = 'Snowmobile Digital Twin'
    COMMENT = 'cdt: segments, personas and grounded simulations';
