-- cdt deploy: PERSONAS.GENERATE_PERSONA (spec §4.2) over AI_COMPLETE with structured output.
-- The persona model is a setting (llm.cortex_persona_model), written here as a checked name.
-- SELECT PERSONAS.GENERATE_PERSONA(segment_id, OBJECT_CONSTRUCT(*), verbatims) returns the
-- persona's words as an OBJECT; identity and numbers stay with the data (cdt personas).
CREATE OR REPLACE FUNCTION PERSONAS.GENERATE_PERSONA(
    p_segment_id VARCHAR,
    p_segment_stats VARIANT,
    p_sample_verbatims ARRAY
)
RETURNS VARIANT
LANGUAGE SQL
COMMENT = 'cdt: a persona''s words for one segment (AI_COMPLETE, structured output)'
AS
$$
    TRY_PARSE_JSON(TO_VARCHAR(AI_COMPLETE(
        model => '{{persona_model}}',
        prompt => CONCAT(
            'You write customer personas for Snowmobile Wireless, a US mobile carrier. ',
            'Describe one realistic customer of this segment, not a stereotype, using only ',
            'what the statistics and the customers'' own words support. Never invent numbers.',
            '\n\n### SEGMENT ', p_segment_id, ' STATISTICS ###\n', TO_VARCHAR(p_segment_stats),
            '\n\n### WHAT THESE CUSTOMERS SAID ###\n',
            ARRAY_TO_STRING(p_sample_verbatims, '\n---\n'),
            '\n\nAnswer with the JSON object only.'
        ),
        model_parameters => {'temperature': 0.7, 'max_tokens': 1200},
        response_format => {
            'type': 'json',
            'schema': {
                'type': 'object',
                'properties': {
                    'tagline': {'type': 'string'},
                    'background_story': {'type': 'string'},
                    'personality_description': {'type': 'string'},
                    'communication_style': {'type': 'string'},
                    'decision_making_style': {'type': 'string'},
                    'emotional_triggers': {'type': 'string'},
                    'sample_quotes': {
                        'type': 'object',
                        'properties': {
                            'satisfied': {'type': 'string'},
                            'frustrated': {'type': 'string'},
                            'considering_change': {'type': 'string'}
                        },
                        'required': ['satisfied', 'frustrated', 'considering_change']
                    }
                },
                'required': ['tagline', 'background_story', 'personality_description',
                             'communication_style', 'decision_making_style',
                             'emotional_triggers', 'sample_quotes']
            }
        }
    )))
$$;
