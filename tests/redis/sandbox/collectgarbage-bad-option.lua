-- collectgarbage with an invalid option
return collectgarbage("nosuch")
