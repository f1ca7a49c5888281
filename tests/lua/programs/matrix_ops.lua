-- matrix multiplication, transpose, determinant and inverse of small matrices
local function mat(rows) return rows end
local function mul(a, b)
  local r = {}
  for i = 1, #a do r[i] = {} for j = 1, #b[1] do local s = 0 for k = 1, #b do s = s + a[i][k] * b[k][j] end r[i][j] = s end end
  return r
end
local function transpose(a) local r = {} for i = 1, #a[1] do r[i] = {} for j = 1, #a do r[i][j] = a[j][i] end end return r end
local function det(a)
  local n = #a
  if n == 1 then return a[1][1] end
  local d = 0
  for c = 1, n do
    local minor = {}
    for i = 2, n do local row = {} for j = 1, n do if j ~= c then row[#row + 1] = a[i][j] end end minor[#minor + 1] = row end
    d = d + (c % 2 == 1 and 1 or -1) * a[1][c] * det(minor)
  end
  return d
end
local function inverse(a)
  local n = #a
  local m = {}
  for i = 1, n do m[i] = {} for j = 1, n do m[i][j] = a[i][j] end for j = 1, n do m[i][n + j] = (i == j) and 1 or 0 end end
  for c = 1, n do
    local p = c
    for r = c + 1, n do if math.abs(m[r][c]) > math.abs(m[p][c]) then p = r end end
    if m[p][c] == 0 then error("singular matrix") end
    m[c], m[p] = m[p], m[c]
    local pv = m[c][c]
    for j = 1, 2 * n do m[c][j] = m[c][j] / pv end
    for r = 1, n do if r ~= c then local f = m[r][c] for j = 1, 2 * n do m[r][j] = m[r][j] - f * m[c][j] end end end
  end
  local inv = {}
  for i = 1, n do inv[i] = {} for j = 1, n do inv[i][j] = m[i][n + j] end end
  return inv
end
local function show(a) for _, r in ipairs(a) do local s = {} for j, v in ipairs(r) do s[j] = string.format("%8.4f", v) end print(table.concat(s, " ")) end end
local A = mat({ { 2, 1, 1 }, { 1, 3, 2 }, { 1, 0, 0 } })
local B = mat({ { 1, 2 }, { 0, 1 }, { 4, 0 } })
show(mul(A, B))
show(transpose(B))
print("det", det(A), det({ { 1, 2 }, { 2, 4 } }))
show(inverse(A))
show(mul(A, inverse(A)))
print(pcall(inverse, { { 1, 2 }, { 2, 4 } }))
