x = 'hello'
