function t:m() print(...) end
