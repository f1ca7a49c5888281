-- string.find with plain searches, init positions and special characters
local s = "hello world, hello moon"
print(s:find("hello"), s:find("hello", 2), s:find("hello", -10), s:find("xyz"))
print(s:find("o w"), s:find(""), s:find("", 100), s:find("", #s + 1), s:find("", #s + 2))
print(s:find(".", 1, true), ("a.b"):find(".", 1, true), ("a+b"):find("+", 1, true))
print(("a%b"):find("%", 1, true), ("[x]"):find("[", 1, true), ("f(x)"):find("(x)", 1, true))
print(s:find("moon", -4), s:find("moon", -3), s:find("h", 0), s:find("h", -100))
print(("aaa"):find("aa", 2), ("aaa"):find("aa", 3))
print(("x"):find("x", 1, false), ("x."):find(".", 1, nil))
print(pcall(string.find, "x"))
print(pcall(string.find, nil, "x"))
