x = { f
(a), b
.c, [d
] = 1 }
