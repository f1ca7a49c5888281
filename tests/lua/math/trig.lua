-- trigonometric and hyperbolic functions and angle conversions
local vals = { 0, 0.5, 1, -1, math.pi / 6, math.pi / 4, math.pi / 2, math.pi, 2 }
for _, v in ipairs(vals) do
  print(string.format("%.6f sin=%.12g cos=%.12g tan=%.12g", v, math.sin(v), math.cos(v), math.tan(v)))
end
for _, v in ipairs({ 0, 0.5, 1, -1 }) do
  print(string.format("asin=%.12g acos=%.12g atan=%.12g", math.asin(v), math.acos(v), math.atan(v)))
end
print(math.atan2(1, 1), math.atan2(-1, -1), math.atan2(0, -1), math.atan2(1, 0), math.atan2(0, 0))
print(math.sinh(1), math.cosh(1), math.tanh(1), math.tanh(100))
print(math.deg(math.pi), math.rad(180), math.deg(1), math.rad(1))
print(math.asin(2) ~= math.asin(2), math.acos(-2) ~= math.acos(-2))
