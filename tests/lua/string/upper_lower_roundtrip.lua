-- upper and lower are inverses on letters and leave other characters alone
local s = "The Quick Brown Fox, 123! _x_ \0 end"
print(s:upper(), s:lower())
print(s:upper():lower() == s:lower(), s:lower():upper() == s:upper())
print(#s:upper() == #s)
