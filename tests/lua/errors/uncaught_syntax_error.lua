-- uncaught: a syntax error in the script itself is reported before anything runs
print("this line never runs")
local x = = 1
