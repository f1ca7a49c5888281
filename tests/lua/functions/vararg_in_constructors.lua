-- ... expands fully only at the end of a table constructor or argument list
local function f(...)
  local a = { ... }
  local b = { ..., "tail" }
  local c = { "head", ... }
  local d = { n = select("#", ...), ... }
  return #a, #b, #c, d.n, b[1], b[2], c[#c]
end
print(f(1, 2, 3))
print(f())
print(f(nil))
local function g(...) return ... end
print((g(1, 2)), g(g(3, 4)), ({ g(5, 6) })[2])
