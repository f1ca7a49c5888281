-- widths above 8 are cut to 8
return {bit.tohex(0xabc, 9), bit.tohex(0xabc, 100), bit.tohex(0xabc, -9), bit.tohex(0xabc, -100)}
