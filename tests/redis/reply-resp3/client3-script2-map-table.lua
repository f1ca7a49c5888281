-- RESP3 client, RESP2 script: a {map=...} table is already a map
--! resp: 3
return {map = {field = "value"}}
