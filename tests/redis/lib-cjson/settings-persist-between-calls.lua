-- do cjson settings survive from one call to the next?
--! calls: 2
local before = cjson.encode_max_depth()
cjson.encode_max_depth(7)
return before
