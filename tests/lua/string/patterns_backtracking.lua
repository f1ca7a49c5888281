-- patterns that need backtracking still find the leftmost match
print(("aaaaaaaaaaaaaaaaaaab"):find("a*a*a*a*b"))
print(("abcabcabcx"):match("(.*)abc"))
print(("xyz"):match("x(.-)z"), ("x---y---z"):match("^(.-)%-+(.-)$"))
print(("aaa"):find("a-b"), ("aaab"):find("a-b"))
print(("one two three"):match("^(.*) (.*)$"))
print(("/usr/local/bin/lua"):match("^(.*)/([^/]*)$"))
local long = ("a"):rep(5000) .. "b"
print(long:find("a-b"), #long:match(".-b"))
