-- in a chain a .. b .. c metamethods are applied from the right
local log = {}
local mt = { __concat = function(a, b)
  local function n(x) return type(x) == "table" and x.name or tostring(x) end
  log[#log + 1] = n(a) .. "+" .. n(b)
  return setmetatable({ name = "(" .. n(a) .. n(b) .. ")" }, getmetatable(type(a) == "table" and a or b))
end }
local A = setmetatable({ name = "A" }, mt)
local B = setmetatable({ name = "B" }, mt)
local r = "x" .. A .. "y" .. B .. "z"
print(r.name)
print(table.concat(log, "  "))
