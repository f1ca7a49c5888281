local n = 0
for i = 1, 10, 2 do n = n + i end
for k, v in pairs({x = 1}) do n = n + v end
while n > 0 do
  n = n - 3
  if n == 5 then break end
end
repeat n = n + 1 until n >= 10
if n == 10 then print("ten") elseif n > 10 then print("more") else print("less") end
