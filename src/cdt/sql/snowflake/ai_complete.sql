-- AI_COMPLETE with the details object (choices, usage, model): the text and token counts.
SELECT AI_COMPLETE(model => ?, prompt => ?, model_parameters => PARSE_JSON(?),
    show_details => TRUE) AS response
