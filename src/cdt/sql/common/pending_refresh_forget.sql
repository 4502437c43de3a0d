-- Every pending customer has been refreshed.
DELETE FROM RAW.PENDING_REFRESH
