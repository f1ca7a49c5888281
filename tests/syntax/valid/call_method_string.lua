obj:method"x"
