-- long bracket strings: levels, leading newline removal, no escapes
local a = [[hello]]
local b = [==[with ]] inside]==]
local c = [[
first newline skipped]]
local d = [[\n stays \t raw]]
local e = [=[
]=]
print(a, #a)
print(b)
print(c)
print(d, #d)
print(#e, e == "")
print([[a
b]] == "a\nb")
print([===[]===] == "")
