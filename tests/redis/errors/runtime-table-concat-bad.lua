-- table.concat with a table element
return table.concat({1, {}, 3})
