-- a string ending in a backslash at the end of the input
return {select(2, loadstring('x = "abc\\')), select(2, loadstring("x = '\\"))}
