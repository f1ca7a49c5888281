-- nested pcall results keep every level's status
print(pcall(pcall, pcall, error, "e"))
print(pcall(pcall, function() return 1, 2 end))
print(select("#", pcall(pcall)))
