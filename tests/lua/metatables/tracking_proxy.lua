-- a proxy table that records every read and write of the real table
local function track(real)
  local log = {}
  local proxy = setmetatable({}, {
    __index = function(_, k) log[#log + 1] = "get " .. tostring(k) return real[k] end,
    __newindex = function(_, k, v) log[#log + 1] = "set " .. tostring(k) .. "=" .. tostring(v) real[k] = v end,
  })
  return proxy, log
end
local real = { a = 1 }
local p, log = track(real)
p.b = p.a + 1
p.a = nil
local x = p.c
p[1] = "one"
print(table.concat(log, ", "))
print(real.a, real.b, real[1], rawget(p, "b"))
