-- setresp(3): integral doubles
--! resp: 3
redis.setresp(3)
return {{double = 1}, {double = 0}, {double = -0}, {double = 2^53}}
