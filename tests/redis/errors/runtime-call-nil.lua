-- calling a nil field
local t = {}
t.missing()
