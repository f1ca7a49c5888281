-- strings compare byte by byte (C locale), shorter prefix first, embedded zeros count
print("a" < "b", "a" < "B", "Z" < "a", "abc" < "abd", "ab" < "abc")
print("" < "a", "" == "", "a" <= "a", "b" >= "a", "abc" > "abC")
print("a\0b" < "a\0c", "a\0" > "a", "a\0b" == "a\0b", #"a\0b")
print("10" < "9", "10" < "2", "-1" < "-2")
print("\255" > "\1", "\128" > "\127")
local words = { "pear", "Apple", "apple", "banana", "Banana", "", "a", "aa", "a b" }
table.sort(words)
print(table.concat(words, ","))
