local t = { f
(x) }
x = = 1
