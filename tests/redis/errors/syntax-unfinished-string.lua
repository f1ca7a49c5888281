-- an unfinished string
return "abc
