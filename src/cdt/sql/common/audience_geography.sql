-- What geography names can match: every ZIP with its place, state, region and DMA.
SELECT zip_code, zip_name, state_code, state_name, region, dma_code, dma_name
FROM EXTERNAL.ZIP_DEMOGRAPHICS
