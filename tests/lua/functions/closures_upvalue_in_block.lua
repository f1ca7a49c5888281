-- upvalues of block locals are closed when the block ends, also via break
local fs = {}
for i = 1, 5 do
  local v = i * i
  fs[i] = function() return v end
  if i == 3 then break end
end
print(#fs, fs[1](), fs[2](), fs[3]())
local g
do
  local hidden = "closed"
  g = function() return hidden end
  hidden = "changed before close"
end
print(g())
local function mk()
  local t = {}
  for i = 1, 3 do
    local c = 0
    t[i] = function() c = c + i return c end
  end
  return t
end
local t = mk()
print(t[1](), t[1](), t[2](), t[3](), t[3]())
