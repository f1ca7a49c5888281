-- encode_max_depth(0) is out of range
return cjson.encode_max_depth(0)
