-- rawset on the string metatable is refused
rawset(getmetatable("abc"), "__call", function() return 1 end)
return ("s")()
