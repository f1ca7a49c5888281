-- a string shorter than its header says
return cmsgpack.unpack("\165ab")
