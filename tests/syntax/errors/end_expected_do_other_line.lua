do
x = 1
