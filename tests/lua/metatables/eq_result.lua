-- the result of __eq is converted to a boolean; ~= negates it
local function mk(ret) return { __eq = function() return ret end } end
for _, r in ipairs({ true, false, 0, "", nil == 1 }) do
  local mt = mk(r)
  local a, b = setmetatable({}, mt), setmetatable({}, mt)
  print(tostring(r), a == b, a ~= b)
end
local mt = { __eq = function() return nil end }
local a, b = setmetatable({}, mt), setmetatable({}, mt)
print(a == b, a ~= b)
local u1, u2 = newproxy(true), nil
getmetatable(u1).__eq = function() return true end
u2 = newproxy(u1)
print(u1 == u2, u1 ~= u2)
