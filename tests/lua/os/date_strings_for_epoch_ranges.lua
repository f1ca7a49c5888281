-- os.date with composite formats on dates across centuries and leap days
local fmt = "!%A %d %B %Y, day %j, week %U/%W, %I:%M:%S %p"
for _, t in ipairs({ -2208988800, -631152000, 0, 68256000, 951825600, 1709164800, 4107542400 }) do
  print(t, os.date(fmt, t))
end
