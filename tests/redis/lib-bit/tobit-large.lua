-- tobit of values far out of range
return {bit.tobit(2^52), bit.tobit(2^53 + 3), bit.tobit(1e15), bit.tobit(-1e15)}
