-- ok that is not a string is ignored: the table is an (empty) array
return {ok = 12}
