-- loop conditions with and/or, function calls and table lookups
local t = { 3, 1, 4, 1, 5, 9, 2, 6 }
local i, sum = 1, 0
while t[i] and t[i] ~= 9 do sum = sum + t[i] i = i + 1 end
print(i, sum)
local q = { "a", "b", "stop", "c" }
local j = 0
repeat j = j + 1 until q[j] == "stop" or j > #q
print(j)
local k = 10
while k > 0 and (k % 7 ~= 0 or k == 14) do k = k - 1 end
print(k)
