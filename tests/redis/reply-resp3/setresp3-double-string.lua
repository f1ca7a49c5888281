-- setresp(3): a double field that is a string is not a double
--! resp: 3
redis.setresp(3)
return {double = "3.5"}
