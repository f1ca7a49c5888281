-- uncaught: concatenating a table
local parts = { name = {} }
print("name: " .. parts.name)
