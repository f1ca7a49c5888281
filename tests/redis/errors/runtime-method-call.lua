-- calling a missing method
local s = {}
return s:method()
