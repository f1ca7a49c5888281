-- results of __lt/__le are converted to booleans
local mt = { __lt = function(a, b) return a.r end, __le = function(a, b) return a.r end }
for _, r in ipairs({ 1, "s", false }) do
  local x, y = setmetatable({ r = r }, mt), setmetatable({ r = r }, mt)
  print(tostring(r), x < y, x <= y, y > x, y >= x)
end
local x = setmetatable({}, mt)
print(x < x, x <= x)
