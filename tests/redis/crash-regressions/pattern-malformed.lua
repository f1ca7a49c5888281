-- malformed patterns
return {pcall(string.find, "x", "[a"), pcall(string.gsub, "x", "%", ""), pcall(string.match, "x", "(()"), pcall(string.find, "x", "%b")}
