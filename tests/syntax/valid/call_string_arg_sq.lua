f'hello'
