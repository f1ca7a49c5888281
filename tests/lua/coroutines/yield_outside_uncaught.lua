-- an uncaught yield in the main chunk ends the script
print("before")
coroutine.yield("from main")
print("never")
