-- RESP2 client, setresp(3): nil is the null bulk string
redis.setresp(3)
return nil
