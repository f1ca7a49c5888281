-- unpack({}, 1, 1e8) needs too many stack slots
return {pcall(unpack, {}, 1, 1e8)}
