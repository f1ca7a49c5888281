-- an FNV-1a style hash with multiplication folded through tobit
local h = bit.tobit(2166136261)
for i = 1, #"redis" do
  h = bit.bxor(h, ("redis"):byte(i))
  h = bit.tobit(h * 16777619 % 2^32)
end
return bit.tohex(h)
