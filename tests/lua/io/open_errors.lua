-- io.open failures return nil, a message with the file name, and errno
print(io.open("no_such_dir_here/file.txt"))
print(io.open("no_such_file_here.txt", "r"))
print(io.open("no_such_dir_here/file.txt", "w"))
print(pcall(io.open))
print(pcall(io.open, {}))
print(select("#", io.open("no_such_file_here.txt")))
