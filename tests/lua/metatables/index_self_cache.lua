-- A class table whose __index is itself, read through instances at one
-- and several levels, then changed in every way that must be seen:
-- __index pointed elsewhere, removed, set back, rawset, and methods
-- added after the first lookups.
local C = {}
C.__index = C
function C.hello() return "C.hello" end
local o = setmetatable({}, C)
print(o.hello(), o.missing)

local D = setmetatable({}, C)
D.__index = D
function D.only_d() return "D.only_d" end
local p = setmetatable({}, D)
for i = 1, 3 do print(i, p.hello(), p.only_d(), p.nothing) end

-- __index moved to another table
local other = { hello = function() return "other.hello" end }
C.__index = other
print(o.hello(), p.hello())
-- back to itself
C.__index = C
print(o.hello(), p.hello())
-- removed: lookups end at C
C.__index = nil
print(o.hello, p.only_d(), p.hello)
rawset(C, "__index", C)
print(o.hello(), p.hello())
-- a method added after the lookups
function C.late() return "C.late" end
print(o.late(), p.late())
-- __index made a function
C.__index = function(t, k) return "fn:" .. tostring(k) end
print(o.hello, o.zzz, p.zzz)
C.__index = C
-- a field of the instance shadows the class
o.hello = function() return "own" end
print(o.hello(), p.hello())
-- the same table used as its own metatable
local S = {}
S.__index = S
S.x = 1
setmetatable(S, S)
-- a missing key loops S -> S until the chain limit
print(S.x, pcall(function() return S.y end))
S.__index = { y = 2 }
print(S.x, S.y)
-- a weak-valued class table whose __index is itself
local W = setmetatable({}, { __mode = "v" })
W.__index = W
W.v = "kept"
local w = setmetatable({}, W)
collectgarbage()
print(w.v, rawget(W, "__index") == W)
