-- the line reported for a runtime error inside a multi-line expression
local t = {}
local ok, e = pcall(function()
  local v = 1 +
    2 +
    t.missing
  return v
end)
print(e)
ok, e = pcall(function()
  return t
    .a
    .b
end)
print(e)
ok, e = pcall(function()
  local f
  f(
    1,
    2
  )
end)
print(e)
