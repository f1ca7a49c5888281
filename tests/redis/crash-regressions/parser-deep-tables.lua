-- 100000 nested table constructors
return {select(2, loadstring("return " .. string.rep("{", 100000)))}
