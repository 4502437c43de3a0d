-- Whether a stage ever recorded a finish.
SELECT count(*) FROM APP.BUILD_STATE WHERE stage = ?
