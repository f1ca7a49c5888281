-- a tail call replaces the caller's frame (seen through debug.traceback and getinfo)
local function inner()
  local info = debug.getinfo(2, "S")
  return info and info.what
end
local function outer() return inner() end
print(outer())
local function show() return debug.traceback("tb", 1) end
local function caller() return show() end
print(caller())
