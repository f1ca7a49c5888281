repeat local x = 1; f = function() return x end until x
