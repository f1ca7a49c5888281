x = "abc\300def"
