-- pcall preserves the exact error object of every type
local vals = { "s", 1, true, false, {}, print, coroutine.create(function() end), newproxy() }
for i, v in ipairs(vals) do
  local ok, e = pcall(error, v)
  print(i, ok, type(e), rawequal(e, v))
end
