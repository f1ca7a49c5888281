-- the 'what' field is "Lua", "C", "main" or "tail"
local function lua_fn() return debug.getinfo(1, "S").what end
print(lua_fn(), debug.getinfo(print, "S").what, debug.getinfo(1, "S").what)
local function tail() return debug.getinfo(1, "S").what end
local function caller() return tail() end
print(caller())
local co = coroutine.create(function() coroutine.yield() end)
coroutine.resume(co)
print(debug.getinfo(co, 0, "S").what, debug.getinfo(co, 1, "S").what)
