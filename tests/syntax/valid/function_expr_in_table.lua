local t = { f = function() end, function() end }
