-- a pattern whose matcher recurses 1000 levels deep (200000 crash Redis: see crash-ferrous-only)
return {pcall(string.match, string.rep("a", 1000), string.rep("a?", 1000))}
