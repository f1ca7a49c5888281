-- a finalizer can read upvalues and globals, and runs only once per object
local count = 0
local function make()
  local u = newproxy(true)
  getmetatable(u).__gc = function(self) count = count + 1; resurrected = self end
end
make()
collectgarbage("collect")
print(count, type(resurrected))
resurrected = nil
collectgarbage("collect")
collectgarbage("collect")
print(count)
