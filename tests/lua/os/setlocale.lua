-- os.setlocale queries and sets only the C locale deterministically
print(os.setlocale())
print(os.setlocale("C"))
print(os.setlocale(nil, "numeric"), os.setlocale("C", "collate"), os.setlocale("C", "ctype"))
print(os.setlocale("POSIX"))
print(os.setlocale("this_locale_does_not_exist"))
print(pcall(os.setlocale, "C", "nosuchcategory"))
print(os.setlocale("C", "all"), os.setlocale("C", "monetary"), os.setlocale("C", "time"))
