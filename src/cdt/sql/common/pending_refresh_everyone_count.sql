-- Whether a whole-base marker is pending (an EXTERNAL table was replaced).
SELECT count(*) FROM RAW.PENDING_REFRESH WHERE customer_id IS NULL
