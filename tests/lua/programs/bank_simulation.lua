-- a seeded queue simulation of a bank with tellers, using math.random and coroutines
math.randomseed(7)
local customers = {}
local t = 0
for i = 1, 40 do
  t = t + math.random(0, 4)
  customers[i] = { id = i, arrive = t, need = math.random(2, 9) }
end
local tellers = { 0, 0, 0 }
local waits, maxwait = 0, 0
local log = coroutine.wrap(function()
  while true do
    local c, teller, start = coroutine.yield()
    if c.id % 8 == 0 then print(string.format("customer %2d arrives %3d served by %d at %3d", c.id, c.arrive, teller, start)) end
  end
end)
log()
for _, c in ipairs(customers) do
  local bi = 1
  for i = 2, #tellers do if tellers[i] < tellers[bi] then bi = i end end
  local start = math.max(tellers[bi], c.arrive)
  local wait = start - c.arrive
  waits = waits + wait
  if wait > maxwait then maxwait = wait end
  tellers[bi] = start + c.need
  log(c, bi, start)
end
print("total wait", waits, "max wait", maxwait, "closing", math.max(unpack(tellers)))
