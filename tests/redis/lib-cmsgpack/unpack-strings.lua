-- fixstr, str8, str16 and str32
return {cmsgpack.unpack("\163abc"), cmsgpack.unpack("\217\3xyz"), cmsgpack.unpack("\218\0\2hi"), cmsgpack.unpack("\219\0\0\0\1!")}
