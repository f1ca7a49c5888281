local function a() local x return function() return function() return x end end end
