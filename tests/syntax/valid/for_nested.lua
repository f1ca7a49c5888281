for i = 1, 3 do for j = 1, 3 do for k in pairs(t) do end end end
