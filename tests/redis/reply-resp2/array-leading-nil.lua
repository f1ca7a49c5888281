-- a nil first element gives an empty array
return {nil, 2, 3}
