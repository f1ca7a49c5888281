-- optional semicolons after statements and after return; no empty statements in 5.1
local a = 1; local b = 2;
local function f() return 1; end
local function g() return; end
print(a, b, f(), g())
print(loadstring("return 1;;"))
print(loadstring(";"))
print(loadstring("do ; end"))
print(loadstring("local x;;"))
print(type(loadstring("local x; x = 1; return x;")))
