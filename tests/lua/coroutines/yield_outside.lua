-- yield from the main thread is an error
print(pcall(coroutine.yield, 1))
print(pcall(coroutine.yield))
