-- a syntax error at the end of the script
return
return
