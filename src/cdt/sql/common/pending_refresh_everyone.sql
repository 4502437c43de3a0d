-- Mark the whole base for the refresh (an EXTERNAL table was replaced).
INSERT INTO RAW.PENDING_REFRESH (customer_id, reason) VALUES (NULL, ?)
