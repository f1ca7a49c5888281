local a, b, c = ...
local s = a .. b
s = a .. b .. c
s = a .. (b .. c)
s = (a .. b) .. c
s = a .. 1 .. "x" .. b
s = "x" .. a
s = 1 .. 2
s = a .. b + c .. a
s = a .. f() .. b
s = a .. b .. c .. a .. b .. c .. a .. b .. c
s = (a .. b) .. (c .. a)
s = a.x .. b.y .. c.z
s = a .. (b and c) .. (a or b)
s = a .. (a < b and "lt" or "ge")
s = -a .. #b
s = a .. -1
s = a .. b ^ c
print(a .. b, a .. b .. c)
return a .. b
