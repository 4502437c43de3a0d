-- Each segment's name and why it is named so.
SELECT segment_id, segment_name, name_reason FROM ANALYTICS.SEGMENT_STATISTICS
