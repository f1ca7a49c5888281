-- load with a reader function
local parts = {"return ", "40 ", "+ 2"}
local i = 0
local f = load(function() i = i + 1; return parts[i] end)
return f()
