-- indexing a nil field
local t = {}
return t.a.b
