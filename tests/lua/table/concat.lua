-- table.concat with separators, ranges, numbers and invalid values
local t = { "a", "b", "c", 1, 2.5 }
print(table.concat(t), table.concat(t, ", "), table.concat(t, "", 2, 4))
print(table.concat(t, "-", 3), table.concat(t, "-", 4, 3), table.concat({}, "x"))
print(table.concat({ 1, 2, 3 }, 0), table.concat({ "x" }, "sep"))
print(pcall(table.concat, { 1, {}, 3 }))
print(pcall(table.concat, { 1, 2 }, ",", 1, 3))
print(pcall(table.concat, { true }))
print(pcall(table.concat))
print(pcall(table.concat, {}, {}))
print(table.concat({ [1] = "a", [2] = "b", [4] = "d" }, ",", 1, 2))
