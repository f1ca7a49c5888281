-- a binary value with NUL and CRLF bytes
--! keys: bin
redis.call("SET", KEYS[1], "\0\1\r\n\255")
return redis.call("STRLEN", KEYS[1])
