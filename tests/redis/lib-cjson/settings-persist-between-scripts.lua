-- do cjson settings changed by one script affect another?
--! cmd: EVAL cjson.encode_sparse_array(true) 0
--! cmd: EVAL return\scjson.encode({[50]=1}) 0
--! eval
return tostring(cjson.encode_sparse_array())
