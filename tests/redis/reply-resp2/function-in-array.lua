-- a function inside an array is a null element
return {1, function() end, 3}
