-- Whether the twin holds any campaign response (a response model needs them).
SELECT count(*) > 0 FROM (SELECT 1 FROM RAW.CAMPAIGN_RESPONSES LIMIT 1) AS any_response
