-- string.dump exists in Redis 7.0
return type(string.dump)
