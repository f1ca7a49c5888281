-- cjson: 100000 nested arrays with the default depth limit
return {pcall(cjson.decode, string.rep("[", 100000) .. string.rep("]", 100000))}
