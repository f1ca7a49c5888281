-- replacement strings are not patterns: magic characters in them are literal except %
print(("abc"):gsub("b", ".*"))
print(("abc"):gsub("b", "[%%]"))
print(("abc"):gsub("b", "$1"))
print(("abc"):gsub("(b)", "%1%1"))
print(("abc"):gsub("b", "\\"))
print(("a.b"):gsub(".", "%%"))
