-- __gc of userdata runs during a full collection, most recently created first
local log = {}
local function make(name)
  local u = newproxy(true)
  getmetatable(u).__gc = function() log[#log + 1] = name end
  return u
end
local function scope()
  local a, b, c = make("a"), make("b"), make("c")
end
scope()
collectgarbage("collect")
print(table.concat(log, " "))
local kept = make("kept")
local function scope2() local d = make("d") end
scope2()
collectgarbage("collect")
print(table.concat(log, " "))
kept = nil
collectgarbage("collect")
print(table.concat(log, " "))
