-- tobit of a numeric string
return {bit.tobit("10"), bit.tobit("0x10"), bit.tobit(" 7 ")}
