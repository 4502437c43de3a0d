-- The newest support contact's date (the features' window ends there).
SELECT max(interaction_date) FROM RAW.SUPPORT_INTERACTIONS
