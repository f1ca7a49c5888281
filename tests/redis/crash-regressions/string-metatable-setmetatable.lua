-- setmetatable on the string metatable itself
setmetatable(getmetatable(""), {__index = function() return "x" end})
return "ok"
