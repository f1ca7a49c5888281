-- gsub with an anchored pattern replaces at most once at the start
print(("aaa"):gsub("^a", "b"))
print(("baa"):gsub("^a", "b"))
print(("hello"):gsub("^", ">"))
print(("hello"):gsub("$", "<"))
print(("line1\nline2"):gsub("^%w+", "X"))
print(("  x  "):gsub("^%s+", ""))
print(("abc"):gsub("c$", "C"), ("c$c"):gsub("c$", "C"))
