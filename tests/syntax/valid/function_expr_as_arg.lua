pcall(function() error('x') end)
