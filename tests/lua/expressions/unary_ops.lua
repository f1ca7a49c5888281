-- unary operators: minus, not and length, stacked and on expressions
local x = 5
print(-x, - -x, - - -x, -(-x))
print(not x, not not x, not nil == true)
print(#"abc", -#"abc", not #"abc")
print(-"3", -"-3", -" 0x10 ")
print(- 2 ^ 2, (- 2) ^ 2)
local t = {1, 2, 3}
print(-#t, #t * -1)
