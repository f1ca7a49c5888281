x = --[[ inline ]] 1
