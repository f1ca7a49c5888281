-- __newindex functions see table, key and value; rawset bypasses them
local log = {}
local ro = setmetatable({}, { __newindex = function(t, k, v)
  log[#log + 1] = tostring(k) .. "=" .. tostring(v)
  if k == "allowed" then rawset(t, k, v) end
end })
ro.a = 1
ro.allowed = "yes"
ro.allowed = "again"
ro[10] = false
print(table.concat(log, " "))
print(rawget(ro, "a"), ro.allowed)
rawset(ro, "b", 2)
print(ro.b)
local readonly = setmetatable({}, { __index = { k = 1 }, __newindex = function(t, k) error("read-only table: " .. k, 2) end })
print(pcall(function() readonly.z = 1 end))
print(readonly.k)
