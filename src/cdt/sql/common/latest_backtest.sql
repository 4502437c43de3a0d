-- The most recent backtest of the response model.
SELECT * FROM ANALYTICS.RESPONSE_BACKTESTS ORDER BY created_at DESC LIMIT 1
