-- ^ anchors only at the start of a pattern and $ only at its end; elsewhere they are literal
print(("abc"):find("^abc$"), ("abcd"):find("^abc$"), ("xabc"):find("^abc"))
print(("a^b"):find("a^b"), ("a$b"):find("a$b"), ("a$"):find("a$$"))
print(("$100"):match("^%$(%d+)"), ("50$"):match("(%d+)%$$"))
print(("abc"):match("^(.)"), ("abc"):match("(.)$"))
print(("^"):find("^^"), ("x^"):find("^^"))
print((""):find("^$"), ("x"):find("^$"))
