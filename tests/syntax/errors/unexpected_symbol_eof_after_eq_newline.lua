x =


