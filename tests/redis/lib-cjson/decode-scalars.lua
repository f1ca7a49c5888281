-- top-level scalars decode
return {cjson.decode("12"), cjson.decode('"s"'), tostring(cjson.decode("true"))}
