-- an error deep in a longer script reports line 12
local t = {}
for i = 1, 10 do
  t[i] = i
end
local sum = 0
for _, v in ipairs(t) do
  sum = sum + v
end
local r = {}
r.total = sum
return r.total + r.missing
