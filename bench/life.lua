-- bench: Conway's life on a torus, every generation rendered to text
-- (rows built with .. one cell at a time, the grid joined with
-- table.concat), then read back from the text to scan neighbours.
local W, H, GENS = 64, 48, 700

-- Park-Miller generator: products stay below 2^53, so lua5.1's doubles and
-- lua5.4's integers give the same sequence.
local seed = 4242
local function rand()
  seed = (seed * 16807) % 2147483647
  return seed
end

local cells = {}
for y = 1, H do
  local row = {}
  for x = 1, W do
    row[x] = (rand() % 100 < 35) and 1 or 0
  end
  cells[y] = row
end

local function render(g)
  local lines = {}
  for y = 1, H do
    local row = g[y]
    local s = ""
    for x = 1, W do
      if row[x] == 1 then s = s .. "#" else s = s .. "." end
    end
    lines[#lines + 1] = s
  end
  return table.concat(lines, "\n")
end

-- Parses the rendered text back into rows of 0/1 (string scanning).
local function parse(text)
  local g, y = {}, 0
  for line in string.gmatch(text, "[^\n]+") do
    y = y + 1
    local row = {}
    for x = 1, #line do
      row[x] = (string.sub(line, x, x) == "#") and 1 or 0
    end
    g[y] = row
  end
  return g
end

local function step(g)
  local out = {}
  for y = 1, H do
    local up = g[y == 1 and H or y - 1]
    local row = g[y]
    local down = g[y == H and 1 or y + 1]
    local o = {}
    for x = 1, W do
      local l = x == 1 and W or x - 1
      local r = x == W and 1 or x + 1
      local n = up[l] + up[x] + up[r] + row[l] + row[r] + down[l] + down[x] + down[r]
      if n == 3 or (n == 2 and row[x] == 1) then o[x] = 1 else o[x] = 0 end
    end
    out[y] = o
  end
  return out
end

local check, text = 0, ""
for gen = 1, GENS do
  text = render(cells)
  cells = step(parse(text))
  local _, live = string.gsub(text, "#", "#")
  check = (check * 31 + live) % 1000003
end
print("life", check, string.sub(text, 1, W))
