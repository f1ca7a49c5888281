local function f() end
