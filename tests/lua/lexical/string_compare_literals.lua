-- the same string written in different lexical forms is equal
print("abc" == 'abc', "abc" == [[abc]], "abc" == "\97\98\99")
print("\n" == [[

]], '\'' == "'")
print(("\\"):byte(), ([[\]]):byte())
print(#[[
]], #"\
")
