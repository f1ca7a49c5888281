-- a chain of 1000 concatenations
return {select(2, loadstring("return " .. string.rep("a..", 1000) .. "a"))}
