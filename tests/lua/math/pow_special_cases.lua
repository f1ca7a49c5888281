-- pow and ^ agree on special cases: zero, negative bases, infinities
local z = 0
local nz = -z
local cases = { { 0, 0 }, { 0, -1 }, { nz, -1 }, { 2, 1024 }, { -2, 0.5 }, { 1, 1 / 0 }, { -1, 1 / 0 }, { 0.5, -1 / 0 }, { 1 / 0, -1 }, { -1 / 0, 3 } }
for _, c in ipairs(cases) do
  local a, b = c[1], c[2]
  print(a, b, a ^ b, math.pow(a, b), a ^ b == math.pow(a, b) or (a ^ b ~= a ^ b))
end
