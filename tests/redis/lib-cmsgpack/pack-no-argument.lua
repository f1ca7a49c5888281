-- pack with no argument
return cmsgpack.pack()
