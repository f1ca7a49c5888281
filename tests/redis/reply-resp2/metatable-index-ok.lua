-- does an __index metamethod answer the ok field lookup?
return setmetatable({}, {__index = function(t, k) if k == "ok" then return "via-index" end end})
