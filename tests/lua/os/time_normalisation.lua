-- os.time normalises out-of-range fields; os.date reads back the normalised date
local function norm(t) return os.date("!%Y-%m-%d %H:%M:%S", os.time(t)) end
print(norm({ year = 2023, month = 14, day = 1, hour = 0 }))
print(norm({ year = 2024, month = 3, day = 0, hour = 0 }))
print(norm({ year = 2024, month = 1, day = 31 + 29 + 1, hour = 0 }))
print(norm({ year = 2024, month = 1, day = 1, hour = 25, min = 61, sec = 61 }))
print(norm({ year = 2024, month = 1, day = 1, hour = 0, min = -1 }))
print(norm({ year = 2024, month = 0, day = 1, hour = 0 }))
print(norm({ year = 2024, month = 6, day = 15, hour = 12, isdst = false }))
