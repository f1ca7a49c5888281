-- debug.setlocal changes a local of a running function and returns its name
local function f()
  local a, b = 1, 2
  local function change() print(debug.setlocal(2, 2, "changed")) end
  change()
  return a, b
end
print(f())
local function g()
  local x = 10
  print(debug.setlocal(1, 1, 20), x)
  print(debug.setlocal(1, 99, 0))
end
g()
print(pcall(debug.setlocal, 50, 1, 1))
