-- struct: a huge integer width (getnum overflow, CVE-2020-14147)
return struct.pack("i99999999999", 1)
