-- setresp(3): how many digits a double reply carries
--! resp: 3
redis.setresp(3)
return {{double = 0.1}, {double = 1/3}, {double = 1e300}, {double = 123456789012345678}, {double = -2.5e-10}}
