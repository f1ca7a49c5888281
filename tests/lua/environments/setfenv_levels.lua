-- setfenv by stack level changes the environment of a running function
local function inner()
  setfenv(2, { print = print, tostring = tostring, note = "caller env" })
end
local function outer()
  inner()
  return note
end
print(outer())
print(note)
local function self_change()
  setfenv(1, { value = 42 })
  return value
end
print(self_change())
local function level0()
  local th = coroutine.running()
  return th
end
print(pcall(setfenv, 3, {}))
