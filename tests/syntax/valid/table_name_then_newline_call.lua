local t = { f
(x) }
