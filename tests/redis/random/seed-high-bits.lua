-- a seed that uses the high 16 bits
math.randomseed(0x12345678)
return {math.random(1000000), math.random(1000000)}
