f[[
line1
line2]]
