-- finalizers of userdata still alive run when the interpreter closes the state
local function make(name)
  local u = newproxy(true)
  getmetatable(u).__gc = function() print("finalizing " .. name) end
  return u
end
keep1 = make("first")
keep2 = make("second")
local keep3 = make("third")
print("end of script")
