x = a ~ b
