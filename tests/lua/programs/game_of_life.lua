-- Conway's game of life on a small toroidal grid with a glider and a blinker
local W, H = 12, 8
local grid = {}
for y = 1, H do grid[y] = {} for x = 1, W do grid[y][x] = 0 end end
for _, p in ipairs({ { 2, 1 }, { 3, 2 }, { 1, 3 }, { 2, 3 }, { 3, 3 }, { 9, 5 }, { 10, 5 }, { 11, 5 } }) do grid[p[2]][p[1]] = 1 end
local function step(g)
  local n = {}
  for y = 1, H do
    n[y] = {}
    for x = 1, W do
      local c = 0
      for dy = -1, 1 do for dx = -1, 1 do
        if dx ~= 0 or dy ~= 0 then c = c + g[(y + dy - 1) % H + 1][(x + dx - 1) % W + 1] end
      end end
      n[y][x] = (c == 3 or (c == 2 and g[y][x] == 1)) and 1 or 0
    end
  end
  return n
end
local function show(g, gen)
  print("generation " .. gen)
  for y = 1, H do
    local row = {}
    for x = 1, W do row[x] = g[y][x] == 1 and "#" or "." end
    print(table.concat(row))
  end
end
for gen = 0, 4 do
  if gen % 2 == 0 then show(grid, gen) end
  grid = step(grid)
end
local alive = 0
for i = 1, 40 do grid = step(grid) end
for y = 1, H do for x = 1, W do alive = alive + grid[y][x] end end
print("alive after 45 generations", alive)
