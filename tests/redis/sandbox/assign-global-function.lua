-- a global function declaration is an assignment and is refused
function helper() return 1 end
return helper()
