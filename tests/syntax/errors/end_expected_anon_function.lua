x = function()
