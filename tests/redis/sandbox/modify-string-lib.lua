-- adding a field to the string library is refused
string.myfunc = function() end
