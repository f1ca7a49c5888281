-- unpack({}, -2, INT_MAX)
return {pcall(unpack, {}, -2, 2147483647)}
