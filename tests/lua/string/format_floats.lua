-- string.format float conversions e, E, f, g, G with flags, width and precision
local v = 1234.5678
print(string.format("%f|%e|%E|%g|%G", v, v, v, v, v))
print(string.format("%.2f|%.0f|%.10f|%10.3f|%-10.1f|%+.1f|% .1f", v, v, v, v, v, v, v))
print(string.format("%.3e|%12.2E|%-12.1e|%+e", v, v, v, v))
print(string.format("%g|%g|%g|%g|%g", 100000, 1000000, 1e-4, 1e-5, 0.1))
print(string.format("%.3g|%.10g|%#g|%#.3g|%g", v, v, 1.0, 1.0, 1e100))
print(string.format("%.0f %.0f %.0f %.0f %.0f", 0.5, 1.5, 2.5, 3.5, -0.5))
print(string.format("%5.1f|%05.1f|%-8.3f|%08.3f", 3.14159, 3.14159, -3.14159, -3.14159))
print(string.format("%f %e %g", 1/0, -1/0, 1/0))
print(string.format("%.20f", 0.1))
print(string.format("%.14g %.15g %.16g %.17g", 0.1, 0.1, 0.1, 0.1))
print(string.format("%#.0f %#.0e %#x", 3, 3, 0))
print(string.format("%e %g %f", 0, 0, 0), string.format("%g", 2^53))
