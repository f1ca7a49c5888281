-- the %f frontier pattern matches a transition between character sets
print(("THE (quick) fox"):gsub("%f[%a]%a+", "W"))
print(("hello world"):gsub("%f[%w]%w", string.upper))
print(("foo fooo foo"):gsub("%f[%a]foo%f[%A]", "BAR"))
print(("abc"):find("%f[%a]"), ("abc"):find("%f[%A]"), ("abc"):find("%f[%z]"))
print(("123abc456"):gsub("%f[%d]", "|"))
print(pcall(string.find, "x", "%f"))
print(pcall(string.find, "x", "%fa"))
print(pcall(string.find, "x", "%f[a"))
