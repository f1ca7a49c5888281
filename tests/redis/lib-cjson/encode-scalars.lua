-- top-level scalars
return {cjson.encode(true), cjson.encode(false), cjson.encode(12.5), cjson.encode("s"), cjson.encode(cjson.null), cjson.encode(nil)}
