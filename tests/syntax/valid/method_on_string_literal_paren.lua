x = ('abc'):upper()
