local function f
()
x = 1
