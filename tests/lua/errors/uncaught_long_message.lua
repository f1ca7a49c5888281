-- uncaught: a long multi-line message; only the first line is compared
error("first line of the message\nsecond line\nthird line")
