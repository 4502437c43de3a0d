-- The details a stage recorded when it last finished.
SELECT details FROM APP.BUILD_STATE WHERE stage = ?
