-- 0/1 knapsack and coin change counting with dynamic programming
local items = { { "map", 9, 150 }, { "compass", 13, 35 }, { "water", 153, 200 }, { "sandwich", 50, 160 },
  { "glucose", 15, 60 }, { "tin", 68, 45 }, { "banana", 27, 60 }, { "apple", 39, 40 }, { "cheese", 23, 30 } }
local cap = 400
local best = {}
for w = 0, cap do best[w] = { v = 0, set = "" } end
for i, it in ipairs(items) do
  for w = cap, it[2], -1 do
    local cand = best[w - it[2]].v + it[3]
    if cand > best[w].v then best[w] = { v = cand, set = best[w - it[2]].set .. " " .. it[1] } end
  end
end
print(best[cap].v, best[cap].set)
local function ways(amount, coins)
  local w = { [0] = 1 }
  for a = 1, amount do w[a] = 0 end
  for _, c in ipairs(coins) do for a = c, amount do w[a] = w[a] + w[a - c] end end
  return w[amount]
end
print(ways(100, { 1, 5, 10, 25, 50 }), ways(1000, { 1, 2, 5, 10, 20, 50, 100, 200 }), ways(7, { 2, 4 }))
