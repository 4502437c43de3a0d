-- How many segments the current segmentation has.
SELECT count(*) FROM ANALYTICS.SEGMENT_STATISTICS
