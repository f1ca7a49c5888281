-- tonumber with a base uses strtoul: a leading minus wraps around and overlong values saturate
print(tonumber("-1", 2), tonumber("-ff", 16), tonumber("-0", 10))
print(tonumber("+11", 2), tonumber("ffffffffffffffffffff", 16))
print(tonumber("1e1", 16), tonumber("1e1", 10), tonumber("1e1", 15))
