-- RESP3 client, RESP2 script: arrays with false elements use RESP3 nulls
--! resp: 3
return {1, false, "x", {true, false}}
