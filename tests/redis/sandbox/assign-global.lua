-- assigning a new global is refused
x = 1
