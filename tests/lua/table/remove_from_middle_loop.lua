-- removing elements while iterating backwards keeps the remaining ones in order
local t = {}
for i = 1, 20 do t[i] = i end
for i = #t, 1, -1 do if t[i] % 3 == 0 then table.remove(t, i) end end
print(#t, table.concat(t, ","))
