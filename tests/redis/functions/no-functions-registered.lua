-- a library that registers no function
#!lua name=lib
local x = 1
