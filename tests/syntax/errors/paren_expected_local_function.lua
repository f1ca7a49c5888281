local function f x() end
