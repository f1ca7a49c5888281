-- errors inside a coroutine never escape resume; the script continues
local co = coroutine.create(function() local a = {} return a.b.c end)
print(coroutine.resume(co))
print("still running")
