-- a __newindex chain that never ends raises "loop in settable"
local a, b = {}, {}
setmetatable(a, { __newindex = b })
setmetatable(b, { __newindex = a })
print(pcall(function() a.x = 1 end))
print(rawget(a, "x"), rawget(b, "x"))
local chain = {}
local cur = chain
for i = 1, 99 do
  local nxt = {}
  setmetatable(cur, { __newindex = nxt })
  cur = nxt
end
chain.v = "stored at the end"
print(rawget(chain, "v"), cur.v)
