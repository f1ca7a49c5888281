-- a function value cannot be encoded
return cjson.encode({f = function() end})
