-- unpack({}, INT_MAX, INT_MAX) is one nil
return {select("#", unpack({}, 2147483647, 2147483647))}
