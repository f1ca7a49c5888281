-- _G has a metatable
local mt = getmetatable(_G)
return type(mt)
