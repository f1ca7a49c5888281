-- __index functions receive the table and the key and may return anything
local log = {}
local t = setmetatable({ real = 1 }, { __index = function(tbl, k)
  log[#log + 1] = tostring(k)
  if k == "double" then return rawget(tbl, "real") * 2 end
  if type(k) == "number" then return k * k end
  return nil, "second value dropped"
end })
print(t.real, t.double, t[7], t.missing)
print(table.concat(log, ","))
local calls = 0
local memo = setmetatable({}, { __index = function(self, n)
  calls = calls + 1
  local v = n < 2 and n or self[n - 1] + self[n - 2]
  rawset(self, n, v)
  return v
end })
print(memo[60], calls)
