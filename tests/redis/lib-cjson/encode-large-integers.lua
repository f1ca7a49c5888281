-- integers beyond 14 digits lose digits
return cjson.encode({2^53, 2^63, -2^63, 99999999999999, 999999999999999})
