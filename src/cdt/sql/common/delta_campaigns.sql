-- Every campaign id (a delta re-sends one).
SELECT DISTINCT campaign_id FROM RAW.CAMPAIGN_RESPONSES ORDER BY campaign_id
