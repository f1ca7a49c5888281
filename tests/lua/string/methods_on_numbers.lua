-- string functions accept numbers, converting them with %.14g
print(string.len(1/3), string.rep(7, 3), string.upper(1e20), string.sub(123456, 2, 4))
print(string.find(12345, 34), string.match(3.25, "%.(%d+)"), string.gsub(1000, "0", "o"))
print(string.byte(9), string.format("%s", 0.1), string.reverse(120))
print(pcall(function() return (5):len() end))
