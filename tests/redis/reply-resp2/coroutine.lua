-- a coroutine has no reply form: null
return coroutine.create(function() end)
