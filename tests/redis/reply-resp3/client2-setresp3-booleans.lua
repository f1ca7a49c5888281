-- RESP2 client, setresp(3): true is 1 and false is 0
redis.setresp(3)
return {true, false}
