-- counting and listing N-queens solutions by backtracking
local function queens(n, want_first)
  local cols, d1, d2, pos = {}, {}, {}, {}
  local count, first = 0, nil
  local function place(r)
    if r > n then
      count = count + 1
      if not first then first = { unpack(pos) } end
      return
    end
    for c = 1, n do
      if not cols[c] and not d1[r + c] and not d2[r - c + n] then
        cols[c], d1[r + c], d2[r - c + n], pos[r] = true, true, true, c
        place(r + 1)
        cols[c], d1[r + c], d2[r - c + n] = nil, nil, nil
      end
    end
  end
  place(1)
  return count, first
end
for n = 1, 9 do
  local c, f = queens(n)
  print(n, c, f and table.concat(f, ",") or "-")
end
