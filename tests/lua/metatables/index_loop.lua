-- an __index chain that never ends raises "loop in gettable"
local a, b = {}, {}
setmetatable(a, { __index = b })
setmetatable(b, { __index = a })
print(pcall(function() return a.x end))
local self = {}
setmetatable(self, { __index = self })
print(pcall(function() return self.missing end))
local chain = {}
local cur = chain
for i = 1, 99 do
  local nxt = {}
  setmetatable(cur, { __index = nxt })
  cur = nxt
end
cur.found = "end of 100 tables"
print(pcall(function() return chain.found end))
local long = {}
cur = long
for i = 1, 101 do
  local nxt = {}
  setmetatable(cur, { __index = nxt })
  cur = nxt
end
cur.found = "too far"
print(pcall(function() return long.found end))
