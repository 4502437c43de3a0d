-- A stage finished from an input fingerprint, with its details.
INSERT INTO APP.BUILD_STATE (stage, fingerprint, details) VALUES (?, ?, ?)
