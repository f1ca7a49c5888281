-- true becomes the integer 1
return true
