-- and/or chains in value context and jump context
local a, b, c, d = ...
local x = a and b
local y = a or b
local z = a and b or c
local w = a or b and c
local v = (a and b) or (c and d)
local u = a and (b or c) and d
x = a and b and c and d
y = a or b or c or d
z = (a or b) and (c or d)
w = not a and b
v = not (a and b)
u = not (a or b) or not c
x = a and 1 or 2
y = a and "s" or nil
z = a and nil or false
w = nil and a
v = false or a
u = true and a
x = 1 and a
y = a == b and c ~= d
z = a < b or c >= d
if a and b then x = 1 end
if a or b then x = 2 end
if a and b or c then x = 3 end
if not a then x = 4 end
if not (a and b) then x = 5 end
if a and not b then x = 6 end
if (a or b) and (c or d) then x = 7 else x = 8 end
while a and b do a = c end
while a or b do b = d end
repeat a = b until a and b or c
t = {a and b, a or b, a and b or c}
f(a and b, a or b)
return a and b or c
