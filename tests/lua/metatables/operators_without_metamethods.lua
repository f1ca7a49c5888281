-- operators on tables without the matching metamethod report the operand
local t = setmetatable({}, { __add = function() return 1 end })
local ops = {
  function() return t - 1 end, function() return t * 1 end, function() return t / 1 end,
  function() return t % 1 end, function() return t ^ 1 end, function() return -t end,
  function() return t .. "" end, function() return #t end, function() return t < t end,
  function() return t() end, function() return t + 1 end,
}
for i, f in ipairs(ops) do print(i, pcall(f)) end
