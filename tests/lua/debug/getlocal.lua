-- debug.getlocal lists parameters, locals in scope, and temporaries
local function f(a, b)
  local c = a + b
  do local inner = "inner" end
  local names = {}
  local i = 1
  while true do
    local name, value = debug.getlocal(1, i)
    if not name then break end
    names[#names + 1] = name .. "=" .. (type(value) == "table" and "table" or tostring(value))
    i = i + 1
  end
  return table.concat(names, " ")
end
print(f(1, 2))
local function g(...)
  local x = 1
  return debug.getlocal(1, 1), debug.getlocal(1, 2)
end
print(g(9, 8))
print((debug.getlocal(1, 1)), type(select(2, debug.getlocal(1, 1))))
print(pcall(debug.getlocal, 50, 1))
print(debug.getlocal(1, 1000))
