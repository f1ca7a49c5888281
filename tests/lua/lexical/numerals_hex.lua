-- hexadecimal numerals as glibc strtod reads them (hex with binary exponents, any length)
print("hex", 0x0, 0x10, 0XfF, 0xABCDEF, 0xabcdef, 0x1e)
print("big", 0x7fffffff, 0xffffffff, 0x100000000)
print("huge", 0x7fffffffffffffff, 0xffffffffffffffff, 0xffffffffffffffffff)
print("pexp", 0x1p4, 0x1P10, 0x3p0)
print("arith", 0x10 + 1, 0x10 * 0x10, -0x10)
local bad = { "return 0xAp-1", "return 0x1P+4", "return 0x1.8", "return 0xep", "return 0x10p", "return 0xx1" }
for _, s in ipairs(bad) do print(s, loadstring(s)) end
