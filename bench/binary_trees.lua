-- bench: allocation of many small tables (binary trees, as in the benchmarks game)
local function bottom_up(depth)
  if depth == 0 then return {} end
  depth = depth - 1
  return { bottom_up(depth), bottom_up(depth) }
end
local function check(tree)
  if tree[1] then return 1 + check(tree[1]) + check(tree[2]) end
  return 1
end
local N = 15
local maxdepth = math.max(6, N)
local stretch = maxdepth + 1
print("stretch tree of depth " .. stretch .. "\t check: " .. check(bottom_up(stretch)))
local long_lived = bottom_up(maxdepth)
for depth = 4, maxdepth, 2 do
  local iters = 2 ^ (maxdepth - depth + 4)
  local c = 0
  for i = 1, iters do c = c + check(bottom_up(depth)) end
  print(string.format("%d\t trees of depth %d\t check: %d", iters, depth, c))
end
print("long lived tree of depth " .. maxdepth .. "\t check: " .. check(long_lived))
