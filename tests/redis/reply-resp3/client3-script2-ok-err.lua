-- RESP3 client, RESP2 script: status and error tables inside an array
--! resp: 3
return {{ok = "fine"}, {err = "ERR nested"}}
