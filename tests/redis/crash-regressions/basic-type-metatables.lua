-- only strings have a metatable; the others stay without one
return {type(getmetatable("")), tostring(getmetatable(1)), tostring(getmetatable(true)), tostring(getmetatable(nil)), tostring(getmetatable(type)), tostring(getmetatable(coroutine.create(function() end)))}
