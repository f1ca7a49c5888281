-- numeric strings are accepted by every function
return {bit.band("12", "10"), bit.lshift("1", "4"), bit.tohex("255", "2"), bit.bnot("0")}
