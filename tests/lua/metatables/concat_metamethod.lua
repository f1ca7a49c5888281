-- __concat with strings and numbers on either side and in long chains
local mt = {}
mt.__concat = function(a, b)
  local function s(x) return type(x) == "table" and ("<" .. x.n .. ">") or tostring(x) end
  return s(a) .. "+" .. s(b)
end
local A = setmetatable({ n = "A" }, mt)
local B = setmetatable({ n = "B" }, mt)
print(A .. B)
print("x" .. A)
print(A .. "y")
print(1 .. A, A .. 2.5)
print("a" .. "b" .. A .. "c" .. "d")
print(A .. B .. A)
print(pcall(function() return A .. nil end))
print(pcall(function() return {} .. "x" end))
