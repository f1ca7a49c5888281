-- RESP2 client, setresp(3): a map is flattened to an array
redis.setresp(3)
return {map = {a = 1}}
