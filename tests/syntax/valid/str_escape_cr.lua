x = "a\b"
