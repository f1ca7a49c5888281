-- sqrt, pow, exp, log and log10 on ordinary and special inputs
print(math.sqrt(16), math.sqrt(2), math.sqrt(0), math.sqrt(1/0))
print(math.pow(2, 10), math.pow(2, 0.5), math.pow(-8, 1/3) ~= math.pow(-8, 1/3), math.pow(0, -1))
print(math.exp(0), math.exp(1), math.exp(-1), math.exp(710), math.exp(-1000))
print(math.log(1), math.log(math.exp(2)), math.log(0), math.log(10))
print(math.log10(1000), math.log10(0.001), math.log10(0), math.log10(2))
print(string.format("%.14g %.14g", math.log(2), math.log10(7)))
print(pcall(math.sqrt))
print(pcall(math.pow, 2))
