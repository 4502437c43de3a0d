-- Every past support contact (a delta replays some).
SELECT * FROM RAW.SUPPORT_INTERACTIONS
