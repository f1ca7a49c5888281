-- %f, %e and %g rounding of halfway and near-halfway values follows the exact binary value
local vals = { 0.125, 0.375, 2.675, 1.005, 1.0000005, 0.05, 123.455, 1e-7, 9.9999999, 0.999999999 }
for _, v in ipairs(vals) do
  print(v, string.format("%.2f %.1e %.3g %.0f %.6f", v, v, v, v, v))
end
