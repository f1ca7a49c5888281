for k in pairs(t) do

