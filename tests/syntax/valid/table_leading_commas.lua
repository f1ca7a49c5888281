local t = { a
 , b
 , c
 }
