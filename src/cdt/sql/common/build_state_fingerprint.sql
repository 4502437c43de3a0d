-- The input a stage last finished from.
SELECT fingerprint FROM APP.BUILD_STATE WHERE stage = ?
