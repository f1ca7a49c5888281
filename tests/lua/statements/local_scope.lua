-- locals: shadowing, block scope, a local is not visible in its own initialiser
local x = 1
do
  local x = x + 1
  print("inner", x)
  do local x = x * 10 print("innermost", x) end
  print("inner again", x)
end
print("outer", x)
y = "global y"
local y = y .. " copied"
print(y)
local function f() return "f" end
local f = function() return f and "sees outer f" end
print(f())
local z
print(z)
local a, a = 1, 2
print(a)
