-- the implicit 'arg' table of 5.1 vararg functions that do not mention '...'
local function f(...)
  return arg.n, arg[1], arg[2], arg[3]
end
print(f())
print(f("a", "b"))
local function len(...) return #arg end
print(len("a", "b", "c"), len())
print(f(nil, "x", nil))
local function g(a, ...)
  return a, arg and arg.n
end
print(g(1, 2, 3))
local function h(...)
  local x = ...
  return arg
end
print(h(1, 2))
local function k(...)
  arg = "replaced"
  return arg
end
print(k(1))
print(type(arg), arg[0])
