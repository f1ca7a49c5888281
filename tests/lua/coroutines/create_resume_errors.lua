-- argument errors of create, resume, wrap and status
print(pcall(coroutine.create))
print(pcall(coroutine.create, print))
print(pcall(coroutine.create, {}))
print(pcall(coroutine.resume))
print(pcall(coroutine.resume, 1))
print(pcall(coroutine.resume, function() end))
print(pcall(coroutine.wrap, print))
print(pcall(coroutine.status, "x"))
