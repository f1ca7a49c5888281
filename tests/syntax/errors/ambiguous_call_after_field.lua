a.b
(c)
