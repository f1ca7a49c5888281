-- setresp(3) then setresp(2): booleans are back to RESP2 rules
--! resp: 3
redis.setresp(3)
redis.setresp(2)
return {true, false}
