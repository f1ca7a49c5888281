-- long brackets with mismatched levels
return {select(2, loadstring("x = [==[ abc ]=]")), select(2, loadstring("--[==[ unfinished"))}
