-- tobit of infinity and NaN
return {bit.tobit(1/0), bit.tobit(-1/0), bit.tobit(0/0)}
