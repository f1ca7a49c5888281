-- uncaught: a failing assert with its own message (no position added)
assert(false, "the assertion message")
