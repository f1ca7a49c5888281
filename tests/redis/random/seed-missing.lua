-- math.randomseed() with no argument
math.randomseed()
