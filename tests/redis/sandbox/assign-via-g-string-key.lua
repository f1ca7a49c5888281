-- assigning through _G with a bracket key is refused
_G["with space"] = 2
