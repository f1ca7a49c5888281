-- replacing math.pi is refused
math.pi = 3
