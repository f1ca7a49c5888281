-- table.getn, the obsolete table.setn, and table.maxn over numeric keys
print(table.getn({ 1, 2, 3 }), table.getn({}), table.getn({ n = 10 }))
print(pcall(table.setn, {}, 5))
print(table.maxn({}), table.maxn({ 1, 2, 3 }), table.maxn({ [10] = 1, [2.5] = 1 }))
print(table.maxn({ [-5] = 1 }), table.maxn({ x = 1, [3] = 1 }), table.maxn({ [1e10] = true }))
print(pcall(table.getn))
print(pcall(table.maxn, 1))
