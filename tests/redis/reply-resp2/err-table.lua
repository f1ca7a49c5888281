-- a table with a string field err is an error reply, with no ERR prefix added
return {err = "bad"}
