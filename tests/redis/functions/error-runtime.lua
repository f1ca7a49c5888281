-- a runtime error inside a function on line 4
--! fcall: fails 0
#!lua name=lib
redis.register_function('fails', function()
  local t = nil
  return t.field
end)
