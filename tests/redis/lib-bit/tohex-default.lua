-- tohex with the default width of 8
return {bit.tohex(0), bit.tohex(1), bit.tohex(255), bit.tohex(-1), bit.tohex(0x12345678), bit.tohex(2^31)}
