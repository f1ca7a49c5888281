-- table.concat converts numbers with %.14g
print(table.concat({ 1, 0.5, 1/3, 1e100, -0.0 + 0, 2^53 }, " "))
print(table.concat({ 1, 2, 3 }, 1.5))
