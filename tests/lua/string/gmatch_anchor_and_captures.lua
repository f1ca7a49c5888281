-- gmatch with position captures, empty captures and patterns that match nothing
for a, b in ("k1=v1;k2=;=v3"):gmatch("(%w*)=(%w*)") do io.write("[", a, "|", b, "]") end
print()
for p, w in ("one two"):gmatch("()(%a+)") do io.write(p, w, " ") end
print()
local n = 0
for _ in ("aaa"):gmatch("b") do n = n + 1 end
print(n)
for c in ("abc"):gmatch("") do io.write("<", c, ">") end
print()
