-- unpack({}, INT_MIN, INT_MAX)
return {pcall(unpack, {}, -2147483648, 2147483647)}
