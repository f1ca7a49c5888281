-- assigning through _G is refused
_G.y = 2
