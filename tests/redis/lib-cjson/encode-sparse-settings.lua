-- encode_sparse_array returns the current settings
local a = {cjson.encode_sparse_array()}
local b = {cjson.encode_sparse_array(true, 3, 5)}
local c = {cjson.encode_sparse_array()}
return {tostring(a[1]), a[2], a[3], tostring(b[1]), b[2], b[3], tostring(c[1]), c[2], c[3]}
