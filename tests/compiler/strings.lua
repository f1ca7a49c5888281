local s = "plain"
local t = 'single \'quoted\' "x"'
local u = "esc \a\b\f\n\r\t\v\\\"\'"
local v = "\0\1\2\127\128\200\255"
local w = "\065\066\067"
local x = [[long
string]]
local y = [==[with ]] inside]==]
local z = "line\
continued"
local e = ""
print(s, t, u, v, w, x, y, z, e)
local k = {["a b"] = 1, ["\n"] = 2}
g = k["a b"]
