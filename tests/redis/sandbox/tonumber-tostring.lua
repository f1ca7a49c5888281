-- tonumber and tostring conversions
return {tonumber("0x1F"), tonumber("10", 2), tonumber("z", 36), tostring(tonumber("abc")), tostring(1e15), tostring(1e16), tostring(-1.5)}
