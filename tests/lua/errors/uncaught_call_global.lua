-- uncaught: calling an undefined global
local function start() missing_function(1, 2) end
start()
