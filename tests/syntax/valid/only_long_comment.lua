--[[ a long
comment ]]
