t = {f = function() end, [1] = function() end}
