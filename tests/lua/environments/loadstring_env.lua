-- chunks from loadstring get the global environment (the thread's), not the caller's
local function runner()
  local f = loadstring("return who")
  return f()
end
who = "global who"
setfenv(runner, { loadstring = loadstring, who = "runner env" })
print(runner())
local f = loadstring("x_from_chunk = 5")
local fenv = {}
setfenv(f, fenv)
f()
print(x_from_chunk, fenv.x_from_chunk)
