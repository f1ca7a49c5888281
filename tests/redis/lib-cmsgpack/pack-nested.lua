-- nested arrays and maps
return cmsgpack.pack({{1, {2, {3}}}, {a = {b = {}}}})
