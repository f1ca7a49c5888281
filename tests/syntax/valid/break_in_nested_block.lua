while true do do if x then break end end end
