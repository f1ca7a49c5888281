-- assert(false, "msg") raises the message without position
assert(false, "assertion message")
