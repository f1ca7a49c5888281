-- ordinary tables can still have metatables
local t = setmetatable({}, {__index = function(_, k) return k .. "!" end})
return t.hello
