-- table.getn ignores an 'n' field in 5.1.5 and uses the length operator
print(table.getn({ n = 5 }), table.getn({ 1, 2, n = 10 }), #{ n = 3 })
