-- the same script before and after HELLO 3 and HELLO 2 on one connection
--! eval
--! hello: 3
--! eval
--! hello: 2
--! eval
redis.setresp(3)
return {true, false, {map = {k = 1}}, {double = 2.5}}
