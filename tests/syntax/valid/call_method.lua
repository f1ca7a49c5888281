obj:method()
