-- os.date for times before 1970 and far in the future
for _, t in ipairs({ -1, -86400, -2208988800, 253402300799, 32503680000 }) do
  print(t, os.date("!%Y-%m-%d %H:%M:%S %a %j", t))
end
