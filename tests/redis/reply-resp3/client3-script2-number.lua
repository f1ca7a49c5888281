-- RESP3 client, RESP2 script: numbers are still truncated integers
--! resp: 3
return {3.99, -3.99, 0/0, 1/0}
