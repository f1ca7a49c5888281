-- uncaught: a failing assert with the default message
local v = nil
assert(v)
