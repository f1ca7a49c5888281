-- a pattern with more than 32 captures
return {pcall(string.find, string.rep("a", 40), string.rep("(a)", 40))}
