-- an uncaught runtime error ends the script with status 1 and the message on stderr
print("line before the error")
local config = nil
print(config.port)
print("never printed")
