local i = 0
while i < 10 do i = i + 1 end
