-- uncaught: assigning with a nil key
local t, key = {}, nil
t[key] = 1
