-- comments at the end of input, right after tokens, and long comments holding code
local x = 1--comment right after a number
local y = "--not a comment"
print(x, y)
print(loadstring("return 1 --[[ an unclosed long comment"))
print(loadstring("return 1 --[ only one bracket is a short comment")())
print(loadstring("return 2 --")())
print(loadstring("return 3 --[==[ closed ]==]")())
print(loadstring("--[[\nreturn 'hidden'\n]] return 'shown'")())
print(loadstring("return 4 -- [[ short after all\n")())
