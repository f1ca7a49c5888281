-- setmetatable on _G is refused
setmetatable(_G, nil)
