t['end'] = 1
t['function'] = 2
