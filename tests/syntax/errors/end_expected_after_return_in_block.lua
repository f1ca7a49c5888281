do return 1 x end
