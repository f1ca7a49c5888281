-- a configuration function with too many arguments
return cjson.encode_max_depth(1, 2)
