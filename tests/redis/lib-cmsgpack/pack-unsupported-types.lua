-- functions, coroutines and cjson.null pack as nil
return {cmsgpack.pack(function() end), cmsgpack.pack(coroutine.create(function() end)), cmsgpack.pack(cjson.null)}
