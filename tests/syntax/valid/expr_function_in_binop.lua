x = function() end == nil
