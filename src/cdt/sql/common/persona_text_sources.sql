-- Where each persona's shown texts came from (llm, verbatim or composed).
SELECT persona_id, attribute_name, source
FROM PERSONAS.PERSONA_PROFILES
WHERE attribute_group IN ('words', 'llm')
