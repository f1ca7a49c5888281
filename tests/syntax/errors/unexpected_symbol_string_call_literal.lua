x = 'a':upper()
