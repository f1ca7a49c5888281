-- numeric for: default step, explicit steps, empty ranges, evaluated once
local out = {}
for i = 1, 5 do out[#out + 1] = i end
print(table.concat(out, ","))
out = {}
for i = 10, 1, -3 do out[#out + 1] = i end
print(table.concat(out, ","))
out = {}
for i = 1, 0 do out[#out + 1] = i end
print(#out)
for i = 5, 5 do print("single", i) end
for i = 5, 4, -1 do print("down", i) end
local evals = 0
local function lim() evals = evals + 1 return 3 end
for i = 1, lim() do end
print("limit evaluated", evals)
for i = 3, 1 do print("never") end
