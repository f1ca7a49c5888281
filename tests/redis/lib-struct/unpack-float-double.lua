-- f and d round trip
local f, d = struct.unpack("<fd", struct.pack("<fd", 1.5, 0.1))
return {tostring(f), string.format("%.17g", d)}
