-- a zero step is treated like a negative one: the loop runs while limit <= index
local n = 0
for i = 1, 3, 0 do n = n + 1 if n == 4 then break end end
print("zero step iterations before break", n)
n = 0
for i = 3, 1, 0 do n = n + 1 if n == 4 then break end end
print("zero step, start above limit", n)
