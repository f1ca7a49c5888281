-- whitespace around tokens
local t = cjson.decode(' \t\r\n[ 1 ,\n 2 ] \n')
return {#t, t[2]}
