-- nan and inf literals are accepted by default
local t = cjson.decode('[nan, inf, -inf, Infinity, -Infinity]')
return {tostring(t[1] ~= t[1]), tostring(t[2]), tostring(t[3]), tostring(t[4]), tostring(t[5])}
