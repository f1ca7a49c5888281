-- a coroutine value cannot be encoded
return cjson.encode(coroutine.create(function() end))
