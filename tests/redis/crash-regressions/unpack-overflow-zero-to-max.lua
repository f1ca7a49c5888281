-- unpack({}, 0, INT_MAX): the element count overflows (CVE-2025-46817)
return {pcall(unpack, {}, 0, 2147483647)}
