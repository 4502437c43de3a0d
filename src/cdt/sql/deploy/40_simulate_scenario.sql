-- cdt deploy: AGENTS.SIMULATE_SCENARIO (spec §4.4): one row per segment the scenario reaches,
-- with the spec's columns and the grounded numbers: the response model compiled to SQL
-- (calibrate/score_sql.py) scores every customer in the warehouse, so no customer row leaves
-- it. The scenario is read by cdt's own rules and by P_READER's model through AI_COMPLETE,
-- reconciled field by field as `cdt simulate` reads it under Cortex (P_READER => 'rules': the
-- rules alone, as `--parser rules`); its values reach the scorer as binds. The stance comes from the shares, and the
-- voices are cdt's own (cdt.agents.voicing, as in `cdt simulate`): P_MODEL writes them through
-- AI_COMPLETE, and every text passes the same gate, with all-MiniLM-L6-v2 and VADER's
-- lexicons imported from the stage; what fails falls back to a verbatim or a sentence
-- composed from data. P_MODEL => 'data' writes every voice from data, with no AI_COMPLETE.
-- The handler is cdt.deploy.handler, imported from cdt.zip on the AGENTS.CDT_CODE stage.
--   CALL AGENTS.SIMULATE_SCENARIO('price increase $5');
--   CALL AGENTS.SIMULATE_SCENARIO('price increase $5', ['SEG01', 'SEG03']);
--   CALL AGENTS.SIMULATE_SCENARIO('price increase $5', NULL, 'data');
--   CALL AGENTS.SIMULATE_SCENARIO('price increase $5', NULL, 'data', 'rules');
-- It writes nothing, so it can also be selected from:
--   SELECT * FROM TABLE(AGENTS.SIMULATE_SCENARIO('price increase $5'));
CREATE OR REPLACE PROCEDURE AGENTS.SIMULATE_SCENARIO(
    P_SCENARIO VARCHAR,
    P_SEGMENT_FILTER ARRAY DEFAULT NULL,
    P_MODEL VARCHAR DEFAULT '{{reaction_model}}',
    P_READER VARCHAR DEFAULT '{{reader_model}}'
)
RETURNS TABLE (
    segment_id VARCHAR,
    segment_name VARCHAR,
    customer_count INT,
    pct_of_base FLOAT,
    reaction VARIANT,
    sentiment_score FLOAT,
    likely_action VARCHAR,
    weighted_impact FLOAT,
    affected_customers FLOAT,
    share_accepted FLOAT,
    share_ignored FLOAT,
    share_complained FLOAT,
    share_threatened_churn FLOAT,
    share_churned FLOAT,
    share_upgraded FLOAT,
    share_downgraded FLOAT,
    expected_churners FLOAT,
    added_churners FLOAT,
    revenue_at_risk FLOAT,
    campaign_type VARCHAR,
    notes VARCHAR,
    voices VARIANT
)
LANGUAGE PYTHON
RUNTIME_VERSION = '3.11'
PACKAGES = ({{packages}})
IMPORTS = ({{imports}})
HANDLER = 'cdt.deploy.handler.simulate_scenario'
COMMENT = 'cdt: a scenario per segment: grounded numbers in SQL, stance from them, gated voices';
