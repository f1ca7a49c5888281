-- Lookups through chains of __index tables, repeated at the same sites
-- while every link of the chain changes between them: methods redefined,
-- removed and shadowed, metatables swapped, __index replaced by a function,
-- weak entries collected, raw writes, integer keys, globals through an
-- environment with a metatable, and more classes than any cache holds.

local function class(parent)
  local c = {}
  c.__index = c
  if parent then setmetatable(c, { __index = parent }) end
  return c
end

local Base = class()
function Base:name() return "base" end
function Base:kind() return "base-kind" end
local Mid = class(Base)
local Leaf = class(Mid)
local obj = setmetatable({}, Leaf)

local function ask(o, label)
  local ok, r = pcall(function() return o:name() end)
  print(label, ok and r or ("error: " .. tostring(r)), o.kind and o:kind() or "no kind")
end

for i = 1, 3 do ask(obj, "start " .. i) end

-- redefine at the root, then override in the middle, then in the leaf
function Base:name() return "base 2" end
ask(obj, "root redefined")
function Mid:name() return "mid" end
ask(obj, "mid override")
function Leaf:name() return "leaf" end
ask(obj, "leaf override")
-- remove them again, innermost first
Leaf.name = nil
ask(obj, "leaf removed")
rawset(Mid, "name", nil)
ask(obj, "mid removed with rawset")
-- shadow on the object itself, then remove the shadow
obj.name = function() return "own" end
ask(obj, "own method")
obj.name = nil
ask(obj, "own removed")

-- swap the middle's parent
local Other = class()
function Other:name() return "other" end
function Other:kind() return "other-kind" end
setmetatable(Mid, { __index = Other })
ask(obj, "mid reparented")
getmetatable(Mid).__index = Base
ask(obj, "mid's __index field changed")
-- __index as a function somewhere in the chain
getmetatable(Mid).__index = function(t, k) return function() return "fn:" .. k end end
ask(obj, "function handler")
getmetatable(Mid).__index = Base
ask(obj, "table again")
-- the class table loses its self-__index
Leaf.__index = nil
ask(obj, "leaf without __index")
Leaf.__index = Leaf
ask(obj, "leaf self-indexed again")
-- the object changes class
setmetatable(obj, Other)
ask(obj, "object reclassed")
setmetatable(obj, Leaf)
ask(obj, "object back")
-- the whole chain ends in nothing
setmetatable(Base, nil)
Base.name = nil
ask(obj, "name gone")
function Base:name() return "base 3" end
ask(obj, "name back")

-- integer keys and table functions on chain tables
Base[1] = "one"
table.insert(Base, "two")
print("ints", obj[1], obj[2], obj[3], #Base)
table.remove(Base, 1)
print("ints after remove", obj[1], obj[2])
ask(obj, "after table ops")

-- polymorphic sites: the same call on objects of several classes,
-- with a class changed in the middle of the loop
local classes = {}
for i = 1, 40 do
  local c = class(i % 2 == 0 and Base or Other)
  local label = "c" .. i
  c["get" .. (i % 5)] = function() return label end
  classes[i] = c
end
local objs = {}
for i = 1, 40 do objs[i] = setmetatable({}, classes[i]) end
local acc = {}
for round = 1, 3 do
  for i = 1, 40 do
    local o = objs[i]
    acc[#acc + 1] = o:name() .. "/" .. tostring(o["get" .. (i % 5)] and o["get" .. (i % 5)]())
  end
  if round == 2 then
    function Other:name() return "other 2" end
    classes[7]["get2"] = function() return "changed" end
  end
end
print(table.concat(acc, " ", 1, 40))
print(table.concat(acc, " ", 81, 120))

-- more (metatable, key) pairs than a cache holds, read twice
local many, keys = {}, {}
for i = 1, 300 do
  local c = class()
  for j = 1, 5 do c["k" .. j] = i * 10 + j end
  many[i] = setmetatable({}, c)
end
for j = 1, 5 do keys[j] = "k" .. j end
local sum = 0
for pass = 1, 2 do
  for i = 1, 300 do
    for j = 1, 5 do sum = sum + many[i][keys[j]] end
  end
  getmetatable(many[150]).k3 = -1000000
end
print("many", sum)

-- weak values in an __index table: collected entries disappear
local weakproto = setmetatable({}, { __mode = "v" })
weakproto.thing = {}
weakproto.keep = "kept"
local w = setmetatable({}, { __index = weakproto })
print("weak before", type(w.thing), w.keep)
collectgarbage()
collectgarbage()
print("weak after", type(w.thing), w.keep)

-- globals read through an environment whose metatable chains to tables
local basenv = { shared = "v1" }
local env = setmetatable({}, { __index = setmetatable({}, { __index = basenv }) })
local function readglobal() return shared end
setfenv(readglobal, env)
print("global", readglobal(), readglobal())
basenv.shared = "v2"
print("global changed", readglobal())
env.shared = "own"
print("global shadowed", readglobal())
env.shared = nil
rawset(basenv, "shared", nil)
print("global removed", readglobal())

-- a table that is an object and a prototype at once
local proto = { greet = function() return "proto" end }
local child = setmetatable({}, { __index = proto })
local grandchild = setmetatable({}, { __index = child })
print("proto chain", grandchild.greet())
child.greet = function() return "child" end
print("proto chain", grandchild.greet())
proto.greet = function() return "proto 2" end
child.greet = nil
print("proto chain", grandchild.greet())
debug.setmetatable(child, { __index = { greet = function() return "debug" end } })
print("proto chain", grandchild.greet())
