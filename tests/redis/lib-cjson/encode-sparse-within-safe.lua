-- up to index 10 any sparseness is allowed
return cjson.encode({[10] = "ten"})
