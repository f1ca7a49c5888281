local a, b = ...
local r
r = not a; r = not not a; r = not not not a
r = not nil; r = not false; r = not true; r = not 1; r = not "s"; r = not 0
r = not (a and b); r = not (a or b); r = not a and not b; r = not a or not b
if not a then r = 1 end
if not not a then r = 2 end
if not (not a and b) then r = 3 end
if not nil then r = 4 end
if not 1 then r = 5 end
while not a do a = b end
repeat r = r until not r
r = not a == b
r = not (a == b)
r = not -a
r = -not a
r = #not a
t = {not a, not nil, not a.b}
return not a
