x = "hello"
