-- a table with only string keys is an empty array
return {a = 1, b = 2}
