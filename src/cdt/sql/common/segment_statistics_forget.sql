-- Drop the segment statistics (rewritten after a refresh).
DELETE FROM ANALYTICS.SEGMENT_STATISTICS
