function f(p) return function() return p end end
