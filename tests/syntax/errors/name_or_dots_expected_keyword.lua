function f(end) end
