-- setresp(3): infinities as double replies
--! resp: 3
redis.setresp(3)
return {{double = 1/0}, {double = -1/0}}
