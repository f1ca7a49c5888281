-- rawequal and rawget work on ordinary values
local t = {a = 1}
return {tostring(rawequal(t, t)), tostring(rawequal(t, {})), rawget(t, "a")}
