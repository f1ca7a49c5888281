for i = 10, 1, -1 do end
