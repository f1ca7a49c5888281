-- brackets of other levels inside long strings are plain text
local s = [==[a [[b]] [=[c]=] ]] d]==]
print(s)
local c = [[ [=[ ]=] ]]
print(c)
--[==[ a comment with ]] and ]=] inside ]==] print("after comment")
print(#[[]], #[[ ]])
