-- a string becomes a bulk string
return "hello"
