-- Forget a stage's last finish (before recording the new one).
DELETE FROM APP.BUILD_STATE WHERE stage = ?
