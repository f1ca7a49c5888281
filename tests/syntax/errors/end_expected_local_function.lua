local function f()
