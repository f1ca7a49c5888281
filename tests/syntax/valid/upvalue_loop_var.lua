for i = 1, 2 do local function g() return i end end
