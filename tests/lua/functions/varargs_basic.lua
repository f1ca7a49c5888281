-- varargs: ... in expressions, tables, and adjusted to one value in the middle of a list
local function f(...)
  local a, b = ...
  return select("#", ...), a, b
end
print(f())
print(f(1))
print(f(1, 2, 3))
print(f(nil, nil))
local function pack(...) return { ... } end
print(#pack(1, 2, 3), #pack())
local function mid(...) return ..., "end" end
print(mid(1, 2, 3))
local function last(...) return "start", ... end
print(last(1, 2, 3))
local function count(...) return select("#", ...) end
print(count(nil), count(nil, nil, nil), count(f()))
