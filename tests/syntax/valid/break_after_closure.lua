while true do local x; f = function() return x end; break end
