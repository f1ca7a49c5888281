obj:get().x = 1
