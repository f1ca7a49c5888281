for i = 1, 3 do fns[i] = function() return i end end
