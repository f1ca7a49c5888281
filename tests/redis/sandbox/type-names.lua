-- type() of each kind of value
return {type(nil), type(true), type(1), type("s"), type({}), type(type), type(coroutine.create(function() end))}
