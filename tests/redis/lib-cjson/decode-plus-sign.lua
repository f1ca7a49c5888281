-- a number with a plus sign
return {pcall(cjson.decode, "+1")}
