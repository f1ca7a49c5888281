-- find with init beyond the end, at the end, and with empty patterns
local s = "hello"
print(s:find("", 5), s:find("", 6), s:find("", 7), s:find("o", 5), s:find("o", 6))
print(s:find("l", -2), s:find("l", -3), s:find("h", -5), s:find("h", -6))
print((""):find(""), (""):find("", 1), (""):find("", 2), (""):find("a"))
print(s:match("", 6), s:match("", 7), s:match("()", 6))
