x = #t
y = #'abc'
z = -#t
