-- RESP3 client, RESP2 script: nil is the RESP3 null
--! resp: 3
return nil
