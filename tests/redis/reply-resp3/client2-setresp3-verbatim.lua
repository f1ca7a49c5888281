-- RESP2 client, setresp(3): a verbatim string is a plain bulk string
redis.setresp(3)
return {verbatim_string = {format = "txt", string = "hello"}}
