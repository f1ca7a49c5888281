-- os.difftime subtracts its arguments as numbers
print(os.difftime(100, 40), os.difftime(40, 100), os.difftime(1.5, 0.25), os.difftime(0, 0))
local a = os.time({ year = 2020, month = 1, day = 1, hour = 0 })
local b = os.time({ year = 2021, month = 1, day = 1, hour = 0 })
print(os.difftime(b, a), os.difftime(b, a) / 86400)
