-- decode an array with mixed values
local t = cjson.decode('[1, "two", true, false, [3], {"k": "v"}]')
return {#t, t[1], t[2], tostring(t[3]), tostring(t[4]), t[5][1], t[6].k}
