-- setmetatable on a library table is refused
setmetatable(string, {})
