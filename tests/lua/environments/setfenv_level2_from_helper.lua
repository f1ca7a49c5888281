-- a helper can change its caller's environment with setfenv(2, ...)
local function sandbox_me()
  setfenv(2, setmetatable({ sandboxed = true }, { __index = _G }))
end
local function worker()
  sandbox_me()
  result_global = "written"
  return sandboxed, rawget(getfenv(1), "result_global")
end
print(worker())
print(result_global)
