-- true is 1 and false is a null element; false does not end the array
return {true, false, true}
