-- the loop variable is a fresh local copy: assigning it does not change the iteration
local seen = {}
for i = 1, 5 do
  seen[#seen + 1] = i
  i = i * 100
end
print(table.concat(seen, ","))
local fs = {}
for i = 1, 3 do fs[i] = function() return i end end
print(fs[1](), fs[2](), fs[3]())
local i = "outer"
for i = 1, 2 do end
print(i)
