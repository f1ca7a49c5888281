-- break outside a loop and code after break or return
print(loadstring("break"))
print(loadstring("if true then break end"))
print(loadstring("while true do break print(1) end"))
print(type(loadstring("do return end print(1)")))
print(loadstring("return; print(1)"))
print(type(loadstring("while true do do break end end")))
print(type(loadstring("for i=1,2 do local function f() end break end")))
print(loadstring("for i=1,2 do local f = function() break end end"))
