-- err that is not a string is ignored: the table is an array
return {10, err = 12}
