local x = 1
do local x = x end
