-- Customers (or whole-base markers) a delta left for the refresh.
SELECT count(*) FROM RAW.PENDING_REFRESH
