-- setresp(3) inside a function with a RESP3 client
--! resp: 3
--! setup: HSET h a 1
--! fcall: f 1 h
#!lua name=lib
redis.register_function('f', function(keys)
  redis.setresp(3)
  return {redis.call('HGETALL', keys[1]), true, {double = 1.5}}
end)
