-- a table with a string field ok is a status reply
return {ok = "fine"}
