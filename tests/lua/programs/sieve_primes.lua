-- the sieve of Eratosthenes, prime counting and a few prime statistics
local function sieve(n)
  local is = {}
  for i = 2, n do is[i] = true end
  for i = 2, math.floor(math.sqrt(n)) do
    if is[i] then for j = i * i, n, i do is[j] = false end end
  end
  local primes = {}
  for i = 2, n do if is[i] then primes[#primes + 1] = i end end
  return primes
end
local p = sieve(100000)
print(#p, p[1], p[100], p[#p])
local twins, gaps, maxgap = 0, {}, 0
for i = 2, #p do
  local g = p[i] - p[i - 1]
  if g == 2 then twins = twins + 1 end
  gaps[g] = (gaps[g] or 0) + 1
  if g > maxgap then maxgap = g end
end
print("twin pairs", twins, "max gap", maxgap)
for g = 2, 12, 2 do io.write(g, ":", gaps[g] or 0, " ") end
print()
local first = {}
for i = 1, 25 do first[i] = p[i] end
print(table.concat(first, " "))
