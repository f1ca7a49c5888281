-- c0 packs the whole string
return struct.pack("c0", "whole string")
