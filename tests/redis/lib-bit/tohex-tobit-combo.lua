-- tohex of tobit of out-of-range values
return {bit.tohex(bit.tobit(2^32 + 255)), bit.tohex(-2^31), bit.tohex(2^31 - 1)}
