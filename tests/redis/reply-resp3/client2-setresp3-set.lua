-- RESP2 client, setresp(3): a set is an array
redis.setresp(3)
return {set = {a = true}}
