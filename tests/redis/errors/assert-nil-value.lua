-- assert(nil, 12) with a number message
assert(nil, 12)
