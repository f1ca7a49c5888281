-- an invalid escape sequence in a string
return "\q"
