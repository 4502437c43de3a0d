-- cdt deploy: AGENTS.AGGREGATE_REACTIONS: the base-weighted view of per-segment reactions, as
-- SIMULATE_SCENARIO returns them. Its argument is an ARRAY of objects with customer_count,
-- sentiment_score, likely_action and the model's share_churned (ARRAY_AGG(OBJECT_CONSTRUCT(*))
-- over the procedure's result); it returns the customers covered, the customer-weighted
-- sentiment, each action's share of customers and the expected churners.
--   SELECT AGENTS.AGGREGATE_REACTIONS(ARRAY_AGG(OBJECT_CONSTRUCT(*)))
--   FROM TABLE(RESULT_SCAN(LAST_QUERY_ID()));
CREATE OR REPLACE FUNCTION AGENTS.AGGREGATE_REACTIONS(p_reactions ARRAY)
RETURNS VARIANT
LANGUAGE SQL
COMMENT = 'cdt: combine per-segment reactions into the base-weighted view'
AS
$$
    SELECT OBJECT_CONSTRUCT(
        'customers', SUM(r.value:CUSTOMER_COUNT::FLOAT),
        'weighted_sentiment',
            SUM(r.value:CUSTOMER_COUNT::FLOAT * r.value:SENTIMENT_SCORE::FLOAT)
            / NULLIF(SUM(IFF(r.value:SENTIMENT_SCORE IS NULL, 0,
                             r.value:CUSTOMER_COUNT::FLOAT)), 0),
        'expected_churners',
            SUM(r.value:CUSTOMER_COUNT::FLOAT * r.value:SHARE_CHURNED::FLOAT),
        'actions', (
            SELECT OBJECT_AGG(a.action, a.share::VARIANT) FROM (
                SELECT x.value:LIKELY_ACTION::VARCHAR AS action,
                       SUM(x.value:CUSTOMER_COUNT::FLOAT)
                       / NULLIF(SUM(SUM(x.value:CUSTOMER_COUNT::FLOAT)) OVER (), 0) AS share
                FROM TABLE(FLATTEN(INPUT => p_reactions)) x
                WHERE x.value:LIKELY_ACTION IS NOT NULL
                GROUP BY 1
            ) a
        )
    )
    FROM TABLE(FLATTEN(INPUT => p_reactions)) r
$$;
