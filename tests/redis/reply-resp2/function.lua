-- a function value has no reply form: null
return function() end
