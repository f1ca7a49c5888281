-- an upvalue closed when its function returns keeps the last value written
local function make()
  local v = "initial"
  local function set(x) v = x end
  local function get() return v end
  set("before return")
  return get, set
end
local get, set = make()
print(get())
set("after return")
print(get())
local get2 = make()
print(get2(), get())
