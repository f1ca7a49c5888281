while true do local x; if y then break end; f = function() return x end end
