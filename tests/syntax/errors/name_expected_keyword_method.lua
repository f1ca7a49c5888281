x = a:end()
