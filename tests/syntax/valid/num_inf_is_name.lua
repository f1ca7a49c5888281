x = inf
