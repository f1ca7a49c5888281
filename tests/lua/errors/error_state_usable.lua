-- after many caught errors of every kind the interpreter state is still usable
local kinds = {
  function() error("s") end, function() error({}) end, function() local x = nil; return x.y end,
  function() return {} < {} end, function() return ("x"):rep() end, function() return #nil end,
  function() local t = setmetatable({}, { __index = function(t, k) return t[k] end }) return t.x end,
  function() local function r() return 1 + r() end return r() end,
}
local fails = 0
for round = 1, 20 do
  for _, f in ipairs(kinds) do
    if not pcall(f) then fails = fails + 1 end
  end
end
print(fails)
local t = {}
for i = 1, 1000 do t[i] = i end
print(#t, select("#", unpack(t)))
