-- a finalizer gets the userdata and can read its environment and upvalues
local seen = {}
local function make(tag)
  local u = newproxy(true)
  debug.setfenv(u, { tag = tag })
  getmetatable(u).__gc = function(self) seen[#seen + 1] = debug.getfenv(self).tag end
end
make("one"); make("two")
collectgarbage("collect")
table.sort(seen)
print(table.concat(seen, " "))
