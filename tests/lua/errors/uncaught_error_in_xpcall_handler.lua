-- error object passed through xpcall's handler and then raised
local ok, e = xpcall(function() error("inner") end, function(m) return "wrapped<" .. m .. ">" end)
error(e, 0)
