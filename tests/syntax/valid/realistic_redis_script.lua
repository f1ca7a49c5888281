local current = redis.call('GET', KEYS[1])
if not current then
  redis.call('SET', KEYS[1], ARGV[1])
  return 1
elseif tonumber(current) < tonumber(ARGV[2]) then
  return redis.call('INCRBY', KEYS[1], ARGV[3])
else
  return redis.error_reply("limit reached: " .. current)
end
