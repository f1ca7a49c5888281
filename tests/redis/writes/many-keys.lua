-- 200 keys written in a loop
for i = 1, 200 do
  redis.call("SET", "key:" .. i, i * i)
end
return redis.call("DBSIZE")
