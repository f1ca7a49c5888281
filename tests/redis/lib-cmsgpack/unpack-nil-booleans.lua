-- nil, true and false
local a, b, c = cmsgpack.unpack("\192\195\194")
return {tostring(a), tostring(b), tostring(c)}
