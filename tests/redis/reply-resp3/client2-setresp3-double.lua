-- RESP2 client, setresp(3): a double is a bulk string
redis.setresp(3)
return {{double = 3.5}, {double = 0.1}, {double = 1/0}}
