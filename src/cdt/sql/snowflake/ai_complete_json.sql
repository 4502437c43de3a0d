-- AI_COMPLETE with structured output: response_format is its own argument, not a parameter.
SELECT AI_COMPLETE(model => ?, prompt => ?, model_parameters => PARSE_JSON(?),
    response_format => PARSE_JSON(?), show_details => TRUE) AS response
