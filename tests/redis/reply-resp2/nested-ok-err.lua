-- status and error tables nested inside an array
return {1, {ok = "yes"}, {err = "no"}, {2, {ok = "deep"}}}
