function f(...) g(...) end
