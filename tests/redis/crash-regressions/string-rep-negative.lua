-- string.rep with negative and zero counts
return {string.rep("x", -1), string.rep("x", 0), string.rep("", 5), string.rep("ab", 2^31 - 2^31)}
