-- setresp(3): status and error tables are unchanged
--! resp: 3
redis.setresp(3)
return {{ok = "OK"}, {err = "E1 bad"}}
