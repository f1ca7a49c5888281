-- cjson.null returned to Redis
return cjson.decode("null")
