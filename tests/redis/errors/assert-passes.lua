-- assert returns all its arguments when the first is true
return {assert(1, 2, 3)}
