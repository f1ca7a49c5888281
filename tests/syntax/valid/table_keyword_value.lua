t = {nil, true, false}
