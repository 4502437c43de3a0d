-- Which build stages have finished, and when.
SELECT stage, finished_at FROM APP.BUILD_STATE ORDER BY finished_at
