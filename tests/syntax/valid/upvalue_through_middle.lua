local x
function a() return function() return function() return x end end end
