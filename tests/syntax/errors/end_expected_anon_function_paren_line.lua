x = function

()
