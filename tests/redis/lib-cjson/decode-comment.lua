-- comments are not JSON
return cjson.decode("[1 /* c */]")
