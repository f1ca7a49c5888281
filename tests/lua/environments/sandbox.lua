-- a restricted sandbox: only whitelisted globals are reachable
local safe = { print = print, tostring = tostring, string = { upper = string.upper } }
local code = [[
  print("inside", tostring(os), tostring(io), string.upper("ok"))
  leaked = "kept in sandbox"
  return pcall ~= nil
]]
local f = assert(loadstring(code))
setfenv(f, safe)
print(f())
print(leaked, safe.leaked)
local g = assert(loadstring("return require"))
setfenv(g, safe)
print(g())
local bad = assert(loadstring("os.exit(1)"))
setfenv(bad, safe)
print(pcall(bad))
