-- RESP3 client, RESP2 script: true is still the integer 1
--! resp: 3
return true
