-- error(cjson.null) prints a NULL light userdata
error(cjson.null)
