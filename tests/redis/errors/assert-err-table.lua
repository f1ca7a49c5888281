-- assert with an err table as message
assert(false, {err = "ASSERTED failed"})
