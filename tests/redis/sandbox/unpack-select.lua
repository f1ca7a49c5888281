-- unpack and select
return {select("#", unpack({1, 2, 3})), select(2, "a", "b", "c")}
