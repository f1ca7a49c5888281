x = function
