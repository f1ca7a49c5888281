-- floor and ceil on negative values near integers and on numeric strings
for _, v in ipairs({ -0.0000001, -0.9999999, -1.0000001, -2^52 - 0.5, "-1.5", " 2.5 ", "0x10" }) do
  print(v, math.floor(v), math.ceil(v))
end
