-- setresp(3): a verbatim string with the markdown format
--! resp: 3
redis.setresp(3)
return {verbatim_string = {format = "mkd", string = "# title"}}
