-- do ... end blocks limit local lifetimes and can be nested
local out = {}
do
  local v = "one"
  out[#out + 1] = v
  do
    local v = "two"
    out[#out + 1] = v
  end
  out[#out + 1] = v
end
print(table.concat(out, " "), v)
do end
do do do print("deep") end end end
