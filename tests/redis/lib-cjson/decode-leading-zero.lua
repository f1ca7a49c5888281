-- a number with a leading zero
return {pcall(cjson.decode, "[01]")}
