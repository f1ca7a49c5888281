-- unpack of the empty string returns nothing
return {select("#", cmsgpack.unpack("")), "end"}
