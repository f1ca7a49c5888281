-- an array of numbers and strings
return {1, "two", 3.9, "", -4}
