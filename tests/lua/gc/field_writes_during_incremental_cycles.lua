-- Field writes into long-lived tables while the incremental collector
-- runs in small steps: fresh tables and strings stored over existing
-- fields (non-nil and nil), into new fields, and numbers over them, must
-- all survive; any write that skipped a needed barrier would lose one.
collectgarbage("setpause", 100)
collectgarbage("setstepmul", 150)
local holders = {}
for i = 1, 200 do
  holders[i] = { a = 0, b = "x", c = false, d = nil }
end
local check = 0
for round = 1, 60 do
  for i = 1, #holders do
    local h = holders[i]
    h.a = { round, i }                    -- table over a non-nil value
    h.b = "s" .. round .. ":" .. i        -- fresh string over a string
    if round % 3 == 0 then h.c = nil else h.c = { i } end  -- nil and back
    h.d = (round % 2 == 0) and ("d" .. i) or nil
    h["k" .. (round % 5)] = { s = "v" .. round }           -- new keys
    h.n = round * i                       -- number
  end
  -- allocate garbage to keep the collector moving
  for j = 1, 300 do local _ = { j, tostring(j) } end
  for i = 1, #holders, 7 do
    local h = holders[i]
    check = check + h.a[1] + h.a[2] + #h.b + (h.c and h.c[1] or 0)
      + (h.d and #h.d or 0) + #h["k" .. (round % 5)].s + h.n
  end
end
collectgarbage()
for i = 1, #holders do
  local h = holders[i]
  check = check + h.a[1] + #h.b + #h.k0.s + #h.k4.s
end
print(check)
