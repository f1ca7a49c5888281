-- tostring of nil, booleans, numbers and strings; other values have a type prefix
print(tostring(nil), tostring(true), tostring(false), tostring(12), tostring(-0.25), tostring("s"))
print(tostring(1e15), tostring(1e16), tostring(0.1), tostring(-1/0))
print(tostring({}):match("^table: ") ~= nil, tostring(print):match("^function: ") ~= nil)
print(tostring(coroutine.create(print == nil and print or function() end)):match("^thread: ") ~= nil)
print(tostring(newproxy()):match("^userdata: ") ~= nil)
print(pcall(tostring))
print(tostring(1, 2))
