local a, b = ...
local r
r = a == b; r = a ~= b; r = a < b; r = a <= b; r = a > b; r = a >= b
r = a == 1; r = 1 == a; r = a ~= "x"; r = "x" ~= a
r = a < 1; r = 1 < a; r = a <= 2; r = 2 <= a; r = a > 3; r = 3 > a; r = a >= 4; r = 4 >= a
r = 1 < 2; r = "a" < "b"; r = nil == false; r = true ~= nil
r = a == nil; r = nil == a; r = a == true; r = false ~= a
r = not (a == b); r = not (a < b); r = not not (a <= b)
if a == 1 then r = 1 elseif a < 2 then r = 2 elseif 3 <= a then r = 3 else r = 4 end
if not (a > b) then r = 5 end
while a < 10 do a = a + 1 end
r = (a < b) == (b < a)
r = (a == b) and (a ~= b)
t = {}; t[a < b] = a > b
t.x = a >= b
g = a <= b
print(a < b, a == b, not (a ~= b))
return a < b
