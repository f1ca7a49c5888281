-- 300 nested function definitions
return {select(2, loadstring(string.rep("function f() ", 300) .. string.rep("end ", 300)))}
