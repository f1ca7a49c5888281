-- a ')' without an open capture is an error for match/gsub/gmatch, but find treats ")" as plain text
print(pcall(string.match, "a)", ")"))
print(pcall(string.gsub, "a)", ")", "x"))
print(pcall(string.find, "a)", ")"))
print(pcall(string.find, "a)", "a)"))
print(pcall(string.find, "a)", "%a)"))
print(pcall(function() for c in ("a)"):gmatch("a)") do end end))
print(pcall(string.match, "(a)", "(a))"))
print(pcall(string.find, "x.y", "."), pcall(string.find, "x(y", "("))
