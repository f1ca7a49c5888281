-- a failed patch of the string metatable does not reach the next script
--! cmd: EVAL return\s{pcall(function()\sgetmetatable('').__index\s=\s{upper=function()\sreturn\s'bad'\send}\send)} 0
--! cmd: EVAL return\s{pcall(rawset,\sgetmetatable(''),\s'__len',\sfunction()\sreturn\s1\send)} 0
--! eval
return {("abc"):upper(), ("abc"):len(), tostring(rawget(getmetatable(""), "__len"))}
