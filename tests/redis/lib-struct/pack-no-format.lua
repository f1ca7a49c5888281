-- pack with no format
return struct.pack()
