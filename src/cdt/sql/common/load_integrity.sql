-- Referential integrity after a load: every count must be zero (common SQL, both dialects).
-- A reference table the data folder did not hold (left empty) is not checked against.
SELECT
    (SELECT count(*) FROM RAW.MONTHLY_USAGE u
      WHERE NOT EXISTS (SELECT 1 FROM RAW.CUSTOMERS c WHERE c.customer_id = u.customer_id))
        AS usage_rows_without_customer,
    (SELECT count(*) FROM RAW.SUPPORT_INTERACTIONS i
      WHERE NOT EXISTS (SELECT 1 FROM RAW.CUSTOMERS c WHERE c.customer_id = i.customer_id))
        AS interactions_without_customer,
    (SELECT count(*) FROM RAW.CAMPAIGN_RESPONSES r
      WHERE NOT EXISTS (SELECT 1 FROM RAW.CUSTOMERS c WHERE c.customer_id = r.customer_id))
        AS campaign_responses_without_customer,
    (SELECT count(*) FROM RAW.CUSTOMERS c
      WHERE EXISTS (SELECT 1 FROM EXTERNAL.ZIP_DEMOGRAPHICS)
        AND NOT EXISTS (SELECT 1 FROM EXTERNAL.ZIP_DEMOGRAPHICS z WHERE z.zip_code = c.zip_code))
        AS customers_with_unknown_zip,
    (SELECT count(*) FROM RAW.CUSTOMERS c
      WHERE EXISTS (SELECT 1 FROM EXTERNAL.COMPETITIVE_LANDSCAPE)
        AND NOT EXISTS (SELECT 1 FROM EXTERNAL.COMPETITIVE_LANDSCAPE d
                         WHERE d.dma_code = c.dma_code))
        AS customers_with_unknown_dma,
    (SELECT count(*) - count(DISTINCT customer_id) FROM RAW.CUSTOMERS)
        AS duplicate_customer_ids,
    (SELECT count(*) - count(DISTINCT zip_code) FROM EXTERNAL.ZIP_DEMOGRAPHICS)
        AS duplicate_zip_codes,
    (SELECT count(*) FROM RAW.CUSTOMERS WHERE customer_id IS NULL)
        AS customers_without_id
