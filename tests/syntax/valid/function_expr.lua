local f = function(x) return x end
