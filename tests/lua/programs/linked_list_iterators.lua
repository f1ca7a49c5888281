-- a linked list with stateful and stateless iterators, map/filter/reduce helpers
local List = {}
List.__index = List
function List.from(t) local l = setmetatable({ head = nil, n = 0 }, List) for i = #t, 1, -1 do l.head = { v = t[i], next = l.head } l.n = l.n + 1 end return l end
function List:iter() local node = self.head return function() if node then local v = node.v node = node.next return v end end end
function List:map(f) local out = {} for v in self:iter() do out[#out + 1] = f(v) end return List.from(out) end
function List:filter(p) local out = {} for v in self:iter() do if p(v) then out[#out + 1] = v end end return List.from(out) end
function List:reduce(f, acc) for v in self:iter() do acc = f(acc, v) end return acc end
function List:reverse() local r = setmetatable({ n = self.n }, List) for v in self:iter() do r.head = { v = v, next = r.head } end return r end
List.__tostring = function(l) local p = {} for v in l:iter() do p[#p + 1] = tostring(v) end return "(" .. table.concat(p, " ") .. ")" end
List.__len = function(l) return l.n end
List.__concat = function(a, b) local t = {} for v in a:iter() do t[#t + 1] = v end for v in b:iter() do t[#t + 1] = v end return List.from(t) end
local l = List.from({ 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 })
print(tostring(l), l.n, #l)
print(tostring(l:map(function(x) return x * x end)))
print(tostring(l:filter(function(x) return x % 3 == 0 end)))
print(l:reduce(function(a, b) return a + b end, 0), l:reduce(math.max, -math.huge))
print(tostring(l:reverse()), tostring(List.from({ "a" }) .. List.from({ "b", "c" })))
