-- cjson.null inside arrays and objects
return cjson.encode({1, cjson.null, 3, {k = cjson.null}})
