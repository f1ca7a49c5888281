-- an invalid long string delimiter at the end of the input
return {select(2, loadstring("x = [=")), select(2, loadstring("x = [==")), select(2, loadstring("[="))}
