-- os.exit with a status code ends the script at once with that status; buffered output is flushed
io.write("buffered output before exit\n")
print("printed")
os.exit(3)
print("never")
