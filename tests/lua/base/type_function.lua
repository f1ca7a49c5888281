-- type returns the name of the type of every kind of value
print(type(nil), type(true), type(0), type(""), type({}), type(print), type(type))
print(type(coroutine.create(function() end)), type(newproxy()), type(io.stdout))
print(type(type(nil)), type(function() end), type(string.format))
print(pcall(type))
print(type(nil, "extra"))
