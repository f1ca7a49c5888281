-- encode_sparse_array with a negative ratio
return cjson.encode_sparse_array(false, -1)
