-- cdt deploy: AGENTS.ASK_PERSONA (spec §4.3): one persona's reaction to a scenario, over
-- AI_COMPLETE with structured output. The persona's segment's three past reactions most like
-- the scenario (VECTOR_COSINE_SIMILARITY between AI_EMBED of the scenario and the stored
-- vectors of the same embedding model) are in the prompt. The reaction model and the embedding
-- model are settings, written here as checked names.
--   SELECT AGENTS.ASK_PERSONA(persona_id, 'price increase $5') FROM PERSONAS.PERSONA_DEFINITIONS;
CREATE OR REPLACE FUNCTION AGENTS.ASK_PERSONA(
    p_persona_id VARCHAR,
    p_scenario VARCHAR
)
RETURNS VARIANT
LANGUAGE SQL
COMMENT = 'cdt: one persona''s reaction to a scenario (AI_COMPLETE, top-3 history by similarity)'
AS
$$
    WITH persona AS (
        SELECT * FROM PERSONAS.PERSONA_DEFINITIONS WHERE persona_id = p_persona_id
        QUALIFY ROW_NUMBER() OVER (ORDER BY version DESC) = 1
    ),
    history AS (
        SELECT h.reaction_summary
        FROM PERSONAS.PERSONA_EMBEDDINGS e
        JOIN PERSONAS.HISTORICAL_REACTIONS h ON h.reaction_id = e.source_id
        WHERE e.segment_id = (SELECT segment_id FROM persona)
          AND e.model_id = 'cortex/{{embed_model}}'
        ORDER BY VECTOR_COSINE_SIMILARITY(
            e.embedding, AI_EMBED('{{embed_model}}', p_scenario)) DESC
        LIMIT 3
    )
    SELECT TRY_PARSE_JSON(TO_VARCHAR(AI_COMPLETE(
        model => '{{reaction_model}}',
        prompt => CONCAT(
            'You are a Snowmobile Wireless customer. Stay in character and answer as this ',
            'person would, in the first person.',
            '\n\n### WHO YOU ARE ###\nName: ', COALESCE(p.persona_name, ''),
            '\nBackground: ', COALESCE(p.background_story, ''),
            '\nPersonality: ', COALESCE(p.personality_description, ''),
            '\nCommunication style: ', COALESCE(p.communication_style, ''),
            '\nHot buttons: ', COALESCE(p.emotional_triggers, ''),
            '\n\n### HOW CUSTOMERS LIKE YOU REACTED BEFORE ###\n',
            COALESCE((SELECT LISTAGG(reaction_summary, '\n---\n') FROM history), '(none)'),
            '\n\n### WHAT SNOWMOBILE ANNOUNCES ###\n', p_scenario,
            '\n\nAnswer with the JSON object only.'
        ),
        model_parameters => {'temperature': 0.4, 'max_tokens': 500},
        response_format => {
            'type': 'json',
            'schema': {
                'type': 'object',
                'properties': {
                    'initial_reaction': {'type': 'string'},
                    'sentiment_score': {'type': 'number'},
                    'likely_action': {'type': 'string', 'enum': ['ACCEPT', 'IGNORE', 'COMPLAIN',
                        'THREATEN_CHURN', 'CHURN', 'UPGRADE', 'DOWNGRADE']},
                    'action_probability': {'type': 'number'},
                    'reasoning': {'type': 'string'},
                    'what_would_change_mind': {'type': 'string'},
                    'sample_verbatim': {'type': 'string'}
                },
                'required': ['initial_reaction', 'sentiment_score', 'likely_action',
                             'action_probability', 'reasoning', 'what_would_change_mind',
                             'sample_verbatim']
            }
        }
    )))
    FROM persona p
$$;
