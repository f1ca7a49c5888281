-- changing _G's metatable fields is refused
local mt = getmetatable(_G)
mt.__index = nil
return "changed"
