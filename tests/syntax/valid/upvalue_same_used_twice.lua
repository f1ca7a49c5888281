local a
function f() return a, a, a end
