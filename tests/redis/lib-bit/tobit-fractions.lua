-- tobit of fractional numbers rounds (the +2^52+2^51 trick)
return {bit.tobit(1.5), bit.tobit(2.5), bit.tobit(-1.5), bit.tobit(0.4999), bit.tobit(3.7), bit.tobit(-3.7)}
