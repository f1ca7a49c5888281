-- edit distance and longest common subsequence by dynamic programming
local function lev(a, b)
  local prev = {}
  for j = 0, #b do prev[j] = j end
  for i = 1, #a do
    local cur = { [0] = i }
    for j = 1, #b do
      local cost = a:sub(i, i) == b:sub(j, j) and 0 or 1
      cur[j] = math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
    end
    prev = cur
  end
  return prev[#b]
end
local function lcs(a, b)
  local t = {}
  for i = 0, #a do t[i] = {} for j = 0, #b do t[i][j] = 0 end end
  for i = 1, #a do for j = 1, #b do
    if a:sub(i, i) == b:sub(j, j) then t[i][j] = t[i - 1][j - 1] + 1 else t[i][j] = math.max(t[i - 1][j], t[i][j - 1]) end
  end end
  local out, i, j = {}, #a, #b
  while i > 0 and j > 0 do
    if a:sub(i, i) == b:sub(j, j) then table.insert(out, 1, a:sub(i, i)) i, j = i - 1, j - 1
    elseif t[i - 1][j] >= t[i][j - 1] then i = i - 1 else j = j - 1 end
  end
  return table.concat(out)
end
for _, p in ipairs({ { "kitten", "sitting" }, { "flaw", "lawn" }, { "", "abc" }, { "same", "same" }, { "intention", "execution" }, { "AGGTAB", "GXTXAYB" } }) do
  print(p[1], p[2], lev(p[1], p[2]), lcs(p[1], p[2]))
end
