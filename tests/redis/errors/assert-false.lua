-- assert(false) with no message
assert(false)
