-- all kinds of whitespace between tokens, including form feed and vertical tab
local a	=	1
local b =2;local c= 3;
print(a,b,c)
print(loadstring("return\f1\v+\r2")())
print(type(loadstring("\n\n\nreturn error('line4')")))
print(pcall(loadstring("\n\n\nerror('at line 4')")))
print(pcall(loadstring("\r\n\r\nerror('crlf')")))
print(pcall(loadstring("\n\r\n\rerror('lfcr')")))
print(pcall(loadstring("\r\rerror('cr')")))
