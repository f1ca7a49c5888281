-- CR and LF inside an error string are replaced
error("first\r\nsecond")
