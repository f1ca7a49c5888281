return f()
