-- setresp(3): a big number reply
--! resp: 3
redis.setresp(3)
return {big_number = "123456789012345678901234567890"}
