local t = {...}
