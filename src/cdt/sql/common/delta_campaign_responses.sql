-- One campaign's responses (a delta draws its recipients' outcomes from them).
SELECT * FROM RAW.CAMPAIGN_RESPONSES WHERE campaign_id = ?
