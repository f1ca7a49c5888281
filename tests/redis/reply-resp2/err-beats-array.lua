-- an err field wins over the array part
return {1, 2, 3, err = "bad"}
