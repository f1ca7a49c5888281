local t = { a
.b }
