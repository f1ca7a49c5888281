-- more values than the format needs are ignored
return struct.pack("b", 1, 2, 3)
