x = 1 "a\tb\65"
