-- xpcall with debug.traceback as the handler produces a traceback string
local function fail() error("deep failure") end
local function mid() fail() end
local ok, tb = xpcall(mid, debug.traceback)
print(ok)
print(tb)
