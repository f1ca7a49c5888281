-- string.match returns captures, or the whole match when the pattern has none
print(("hello world"):match("%w+"), ("hello world"):match("(%w+) (%w+)"))
print(("x=1, y=2"):match("y=(%d)"), ("no digits"):match("%d"))
print(("abc"):match(".-"), ("abc"):match(".-$"), ("abc"):match("()"))
print(("  padded  "):match("^%s*(.-)%s*$") .. "|")
print(("key:value:rest"):match("([^:]*):(.*)"))
print(("abc"):match("b", 3), ("abc"):match("b", -2), ("abc"):match("^b", 2))
print(("[[nested]]"):match("%[(%b[])%]"))
print(("The Quick"):match("%u%l+$"))
