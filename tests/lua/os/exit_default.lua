-- os.exit without a status exits with status 0
print("bye")
os.exit()
error("not reached")
