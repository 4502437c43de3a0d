-- Markers that the refit must read every response (a whole-base change).
SELECT (SELECT count(*) FROM RAW.PENDING_CELLS WHERE customer_id IS NULL)
    + (SELECT count(*) FROM RAW.PENDING_RESPONSES WHERE response_id IS NULL)
