-- the exact message of a readonly global assignment inside a nested function
local function f()
  local g = 1
  undeclared = g
end
f()
