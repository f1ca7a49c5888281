--[=[ a ]] still comment ]=]
x = 1
