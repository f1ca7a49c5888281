-- a read-only view: writes raise errors that point at the caller
local function readonly(t)
  return setmetatable({}, {
    __index = t,
    __newindex = function(_, k) error("attempt to modify read-only field '" .. tostring(k) .. "'", 2) end,
    __metatable = false,
  })
end
local days = readonly({ "Mon", "Tue", "Wed" })
print(days[1], days[3], days[4])
print(pcall(function() days[4] = "Thu" end))
print(pcall(setmetatable, days, nil))
print(getmetatable(days))
