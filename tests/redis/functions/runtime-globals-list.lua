-- the globals a function sees at run time
--! fcall: f 0
#!lua name=lib
redis.register_function('f', function()
  local t = {}
  for k in pairs(_G) do t[#t + 1] = k end
  table.sort(t)
  return t
end)
