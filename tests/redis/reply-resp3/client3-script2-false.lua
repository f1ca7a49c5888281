-- RESP3 client, RESP2 script: false is the RESP3 null
--! resp: 3
return false
