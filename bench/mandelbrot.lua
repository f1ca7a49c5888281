-- bench: float arithmetic in tight loops (Mandelbrot set, checksum of the bitmap)
local N = 1400
local iter = 50
local count, checksum = 0, 0
for y = 0, N - 1 do
  local Ci = 2 * y / N - 1
  local bits = 0
  for x = 0, N - 1 do
    local Cr = 2 * x / N - 1.5
    local Zr, Zi, Zrq, Ziq = 0, 0, 0, 0
    local inside = 1
    for i = 1, iter do
      Zi = 2 * Zr * Zi + Ci
      Zr = Zrq - Ziq + Cr
      Zrq = Zr * Zr
      Ziq = Zi * Zi
      if Zrq + Ziq > 4 then inside = 0 break end
    end
    count = count + inside
    bits = (bits * 2 + inside) % 65521
  end
  checksum = (checksum * 31 + bits) % 1000000007
end
print("inside", count, "checksum", checksum)
