-- errors raised inside callbacks of library functions propagate through them
print(pcall(table.sort, { 3, 1, 2 }, function(a, b) error("cmp failed") end))
print(pcall(string.gsub, "abc", "%w", function(c) error("repl " .. c) end))
print(pcall(table.foreach, { 1 }, function(k, v) error("foreach " .. k) end))
print(pcall(string.gsub, "abc", "%w", { a = {} }))
