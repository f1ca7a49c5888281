-- setresp(3): a verbatim string reply
--! resp: 3
redis.setresp(3)
return {verbatim_string = {format = "txt", string = "hello"}}
