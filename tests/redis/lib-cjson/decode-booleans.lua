-- true and false
local t = cjson.decode("[true, false]")
return {type(t[1]), tostring(t[1]), tostring(t[2])}
