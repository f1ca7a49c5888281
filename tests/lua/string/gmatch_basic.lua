-- string.gmatch iterates over matches, returning captures or whole matches
local out = {}
for w in ("one two  three"):gmatch("%a+") do out[#out + 1] = w end
print(table.concat(out, "|"))
for k, v in ("a=1, b=2, c=3"):gmatch("(%w+)=(%w+)") do io.write(k, "->", v, " ") end
print()
local n = 0
for e in ("abc"):gmatch("x*") do n = n + 1 end
print("empty matches", n)
for p in ("abab"):gmatch("()ab") do io.write(p, " ") end
print()
for c in ("^a^a"):gmatch("^a") do io.write("[", c, "]") end
print()
local it = ("1 2 3"):gmatch("%d")
print(it(), it(), it(), it())
print(pcall(string.gmatch, "x"))
print(string.gfind == string.gmatch or type(string.gfind))
