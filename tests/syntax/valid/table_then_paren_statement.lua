local t = { a }
(f)()
