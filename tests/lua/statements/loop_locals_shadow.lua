-- loop variables shadow outer locals of the same name only inside the loop
local i, k, v = "outer i", "outer k", "outer v"
for i = 1, 2 do end
for k, v in pairs({ a = 1 }) do end
print(i, k, v)
local x = 1
while x < 3 do local x = 10 x = x + 1 break end
print(x)
