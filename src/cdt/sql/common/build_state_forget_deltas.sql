-- A full load replaces what any incremental load merged.
DELETE FROM APP.BUILD_STATE WHERE stage IN ('delta', 'responses')
