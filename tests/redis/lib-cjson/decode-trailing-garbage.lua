-- text after the value
return cjson.decode("[1] x")
