-- the names in the redis table at run time inside a function
--! fcall: f 0
#!lua name=lib
redis.register_function('f', function()
  local t = {}
  for k in pairs(redis) do t[#t + 1] = k end
  table.sort(t)
  return t
end)
