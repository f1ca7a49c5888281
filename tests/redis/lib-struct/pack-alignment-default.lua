-- ! with no number uses the native maximum alignment
return {struct.pack("!bd", 1, 2), struct.pack("!bi", 1, 2)}
