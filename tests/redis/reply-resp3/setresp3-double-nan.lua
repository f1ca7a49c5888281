-- setresp(3): NaN as a double reply (0/0 has its sign bit set on x86-64)
--! resp: 3
redis.setresp(3)
return {double = 0/0}
