-- the empty string is an empty bulk string, not null
return ""
