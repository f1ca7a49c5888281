-- rawset on _G is refused too
rawset(_G, "z", 3)
