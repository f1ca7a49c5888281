-- an unfinished long string
return [[never closed
