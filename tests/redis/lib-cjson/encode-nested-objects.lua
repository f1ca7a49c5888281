-- objects nested inside objects (one key each)
return cjson.encode({a = {b = {c = {1, 2, {d = "deep"}}}}})
