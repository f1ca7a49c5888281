-- array elements are read raw: __index does not fill the array
return setmetatable({}, {__index = function(t, k) return k * 10 end})
