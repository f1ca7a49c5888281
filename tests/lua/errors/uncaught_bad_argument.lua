-- uncaught: a bad argument to a library function
print(("x"):rep(2))
string.rep()
