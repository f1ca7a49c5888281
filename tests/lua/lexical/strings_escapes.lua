-- escape sequences in short strings
print("a\tb", "line1\nline2")
print("quote\"s", 'apos\'s', "back\\slash")
print("bell" .. "\a" == "bell\7", "\b" == "\8", "\f" == "\12", "\v" == "\11", "\r" == "\13")
print("\65\066\0677", "\0651")
print(#"\0", #"a\0b", ("a\0b"):byte(2))
print("\255" == string.char(255), #"\255\254")
print("x\
y")
print("\z" == "z")
