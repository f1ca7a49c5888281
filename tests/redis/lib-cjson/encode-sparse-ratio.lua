-- above the safe limit, sparseness is judged by the ratio
return {pcall(cjson.encode, {[11] = 1, [12] = 2, [1] = 0, [2] = 0, [3] = 0, [4] = 0})}
