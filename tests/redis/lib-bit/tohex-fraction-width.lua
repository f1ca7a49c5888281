-- a fractional width
return {bit.tohex(255, 2.7), bit.tohex(255, -2.7)}
