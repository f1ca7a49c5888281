-- alignments above the native maximum
return {struct.pack("!64bi", 1, 2), struct.pack("!16bd", 1, 2)}
