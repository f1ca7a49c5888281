-- os.time ignores wday and yday and extra fields of the date table
local base = { year = 2010, month = 6, day = 15, hour = 12 }
local with = { year = 2010, month = 6, day = 15, hour = 12, wday = 1, yday = 300, extra = "x" }
print(os.time(base) == os.time(with))
print(os.date("!%Y-%m-%d %H:%M", os.time(with)))
