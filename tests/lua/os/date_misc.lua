-- os.date with literal text, empty format, default format and long formats
print(os.date("!year %Y, day %j", 1e9))
print(os.date("!", 1e9) == "", os.date("", 1e9) == "")
print(os.date("!%c", 1e9) == os.date("!%c", 1e9), type(os.date()))
print(os.date("!%Y-%m-%dT%H:%M:%SZ", 1e9))
print(#os.date("!" .. ("%Y"):rep(100), 0))
print(os.date("!%H:%M", 59), os.date("!%H:%M", 60), os.date("!%H:%M", 3599))
print(pcall(os.date, "!%Y", "x"))
print(pcall(os.date, {}))
