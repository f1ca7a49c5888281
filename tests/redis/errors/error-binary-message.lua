-- non-ASCII bytes in an error message
error("caf\195\169 \255")
