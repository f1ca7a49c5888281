-- cjson: huge integer keys with sparse arrays converted to objects
cjson.encode_sparse_array(true)
return {cjson.encode({[2^31] = 1}), cjson.encode({[2^53] = 2}), cjson.encode({[1e300] = 3})}
