function f(...) end
