-- Every customer (a delta draws its changes from them).
SELECT * FROM RAW.CUSTOMERS
