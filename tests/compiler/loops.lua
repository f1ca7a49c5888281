for i = 1, 10 do print(i) end
for i = 10, 1, -1 do print(i) end
for i = 0, 1, 0.25 do print(i) end
for i = a, b, c do print(i) end
for i = f(), g() do end
for i = 1, #t do t[i] = i end
for i = 1, 3 do for j = i, 3 do print(i, j) end end
for i = 1, 10 do if i > 5 then break end end
for k, v in pairs(t) do print(k, v) end
for k in next, t do end
for a, b, c, d, e in f() do print(a, b, c, d, e) end
for _, v in ipairs(t) do if v then break end end
for k, v in f, s, nil do end
for k, v in f(), g(), h(), i() do end
while true do break end
while x do x = x.next end
while x < 10 do x = x + 1 if x == 5 then break end end
repeat local y = x; x = y + 1 until y > 10
repeat until true
repeat x = x - 1 until x == 0 or x < 0
local i = 1
while i <= 10 do
  local j = i
  repeat j = j - 1 until j <= 0
  i = i + 1
end
for i = 1, 2 do local x = i; while x do x = nil end end
