-- width 0
return {bit.tohex(0xff, 0)}
