function f() return end
