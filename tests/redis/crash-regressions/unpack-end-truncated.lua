-- unpack with an end of 2^40 cut to an int
return {select("#", unpack({}, 1, 2^40))}
