-- key order of a multi-key object follows Lua's table traversal order
return cjson.encode({alpha = 1, beta = 2, gamma = 3, delta = 4})
