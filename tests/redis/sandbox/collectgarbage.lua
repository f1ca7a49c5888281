-- collectgarbage("collect") returns 0
return collectgarbage("collect")
