-- false becomes a null bulk string
return false
