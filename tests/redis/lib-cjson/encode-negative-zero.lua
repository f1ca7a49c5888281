-- negative zero
return cjson.encode({-0, 0})
