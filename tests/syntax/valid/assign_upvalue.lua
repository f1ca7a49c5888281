local u
function f() u = 1 end
