while true do until x
