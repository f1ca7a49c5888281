-- string methods work; a missing one does not
return ("abc"):upper() .. ("x"):nosuch()
