-- unpack_limit on truncated input
return cmsgpack.unpack_limit("\1\146", 5)
