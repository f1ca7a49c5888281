-- quantifiers: greedy * and +, lazy -, optional ?, on classes, sets and single chars
local s = "<a><bb><ccc>"
print(s:match("<.*>"), s:match("<.->"), s:match("<(%a+)>"), s:match("<(%a-)>"))
print(("aaab"):match("a*"), ("aaab"):match("a+b"), ("b"):match("a*b"), ("b"):match("a+b"))
print(("color colour"):gsub("colou?r", "C"))
print(("xxx"):match("x-$"), ("xxx"):match("^x-"), ("xxx"):match("^x-x"))
print(("123abc"):match("^%d*"), ("abc"):match("^%d*"), ("abc"):match("^%d+"))
print(("a.b.c"):match("(.-)%."), ("a.b.c"):match("(.*)%."))
print(("[[x]]"):match("%[*(.-)%]*$"))
print(("aaa"):gsub("a?", "-"))
print(("aaa"):gsub("a-", "-"))
