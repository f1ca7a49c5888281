-- encode_keep_buffer with a bad value
return cjson.encode_keep_buffer("sometimes")
