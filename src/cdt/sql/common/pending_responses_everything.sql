-- Mark every response for the refit (a response was replaced).
INSERT INTO RAW.PENDING_RESPONSES (response_id) VALUES (NULL)
