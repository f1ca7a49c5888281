-- arbitrary precision factorials and powers with base 10^7 digit arrays
local BASE, WIDTH = 10000000, 7
local function mul_small(a, m)
  local carry = 0
  for i = 1, #a do
    local v = a[i] * m + carry
    a[i] = v % BASE
    carry = math.floor(v / BASE)
  end
  while carry > 0 do a[#a + 1] = carry % BASE carry = math.floor(carry / BASE) end
end
local function tostr(a)
  local parts = { tostring(a[#a]) }
  for i = #a - 1, 1, -1 do parts[#parts + 1] = string.format("%0" .. WIDTH .. "d", a[i]) end
  return table.concat(parts)
end
local function fact(n) local a = { 1 } for i = 2, n do mul_small(a, i) end return tostr(a) end
print(fact(20))
print(fact(50))
local f100 = fact(100)
print(#f100, f100:sub(1, 20), f100:sub(-30))
local p = { 1 }
for i = 1, 200 do mul_small(p, 2) end
print(tostr(p))
local sum = 0
for d in fact(200):gmatch("%d") do sum = sum + tonumber(d) end
print("digit sum of 200!", sum)
