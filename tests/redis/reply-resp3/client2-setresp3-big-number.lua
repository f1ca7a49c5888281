-- RESP2 client, setresp(3): a big number is a bulk string
redis.setresp(3)
return {big_number = "99999999999999999999"}
