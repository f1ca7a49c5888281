x = "it's"
y = 'say "hi"'
