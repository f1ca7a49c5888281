-- bench: boolean arrays and nested loops (sieve of Eratosthenes, repeated)
local count
for round = 1, 20 do
  local N = 1000000
  local flags = {}
  for i = 2, N do flags[i] = true end
  for i = 2, math.floor(math.sqrt(N)) do
    if flags[i] then for j = i * i, N, i do flags[j] = false end end
  end
  count = 0
  for i = 2, N do if flags[i] then count = count + 1 end end
end
print("primes below 1e6", count)
