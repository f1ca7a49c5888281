-- string.format with widths and precisions too long
return {pcall(string.format, "%099999d", 1), pcall(string.format, "%.999f", 1), pcall(string.format, "%1000s", "x")}
