f"hello"
