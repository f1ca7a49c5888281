-- ratio 0 and safe 0 never consider an array sparse
cjson.encode_sparse_array(false, 0, 0)
return cjson.encode({[30] = 1})
