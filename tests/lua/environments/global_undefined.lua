-- reading an undefined global gives nil; _G with __index/__newindex guards
print(undefined_global)
setmetatable(_G, {
  __newindex = function(t, k, v) error("assignment to undeclared global '" .. k .. "'", 2) end,
  __index = function(t, k) error("undeclared global '" .. k .. "'", 2) end,
})
print(pcall(function() return not_declared end))
print(pcall(function() new_one = 1 end))
rawset(_G, "declared", "ok")
print(declared)
setmetatable(_G, nil)
print(not_declared)
