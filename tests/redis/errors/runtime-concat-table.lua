-- concatenating a table
return "a" .. {}
