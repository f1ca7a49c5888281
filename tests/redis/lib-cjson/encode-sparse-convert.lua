-- encode_sparse_array(true) turns excessively sparse arrays into objects
cjson.encode_sparse_array(true)
return cjson.encode({[20] = 1})
