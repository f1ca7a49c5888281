-- setresp(3): the big number text is sent as it is, even if not digits
--! resp: 3
redis.setresp(3)
return {big_number = "12 ab"}
