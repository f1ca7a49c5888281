-- replacing _G's metatable with a permissive one is refused
setmetatable(_G, {__newindex = function(t, k, v) rawset(t, k, v) end})
