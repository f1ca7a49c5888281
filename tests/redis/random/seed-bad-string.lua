-- a non-numeric seed raises an error
math.randomseed("seven")
