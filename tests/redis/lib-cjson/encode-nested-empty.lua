-- empty tables nested in an array
return cjson.encode({{}, {{}}, {}})
