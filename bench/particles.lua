-- bench: float-field physics: a chain of particles (tables with x, y, vx,
-- vy, mass fields) joined by springs (tables naming their two ends),
-- gravity, damping, a floor, explicit Euler steps.
local N, STEPS, DT = 120, 14000, 0.002

local particles, springs = {}, {}
for i = 1, N do
  particles[i] = {
    x = (i - 1) * 0.1, y = 1.0 + (i % 5) * 0.01,
    vx = 0.0, vy = 0.0, fx = 0.0, fy = 0.0,
    mass = 1.0 + (i % 3) * 0.25,
  }
end
for i = 1, N - 1 do
  springs[#springs + 1] = { a = particles[i], b = particles[i + 1], rest = 0.1, k = 400.0 }
end
for i = 1, N - 2, 2 do
  springs[#springs + 1] = { a = particles[i], b = particles[i + 2], rest = 0.2, k = 150.0 }
end

local sqrt = math.sqrt
local G, DAMP = -9.81, 0.999

local function step()
  for i = 1, N do
    local p = particles[i]
    p.fx = 0.0
    p.fy = G * p.mass
  end
  for i = 1, #springs do
    local s = springs[i]
    local a, b = s.a, s.b
    local dx, dy = b.x - a.x, b.y - a.y
    local len = sqrt(dx * dx + dy * dy)
    if len > 1e-9 then
      local f = s.k * (len - s.rest) / len
      local fx, fy = f * dx, f * dy
      a.fx = a.fx + fx; a.fy = a.fy + fy
      b.fx = b.fx - fx; b.fy = b.fy - fy
    end
  end
  for i = 2, N do -- particle 1 is pinned
    local p = particles[i]
    local inv = DT / p.mass
    p.vx = (p.vx + p.fx * inv) * DAMP
    p.vy = (p.vy + p.fy * inv) * DAMP
    p.x = p.x + p.vx * DT
    p.y = p.y + p.vy * DT
    if p.y < 0.0 then p.y = -p.y; p.vy = -p.vy * 0.5 end
  end
end

local function energy()
  local e = 0.0
  for i = 1, N do
    local p = particles[i]
    e = e + 0.5 * p.mass * (p.vx * p.vx + p.vy * p.vy) - G * p.mass * p.y
  end
  for i = 1, #springs do
    local s = springs[i]
    local dx, dy = s.b.x - s.a.x, s.b.y - s.a.y
    local d = sqrt(dx * dx + dy * dy) - s.rest
    e = e + 0.5 * s.k * d * d
  end
  return e
end

local e0 = energy()
for _ = 1, STEPS do step() end
local last = particles[N]
print(string.format("%.6f %.6f %.6f %.6f", e0, energy(), last.x, last.y))
