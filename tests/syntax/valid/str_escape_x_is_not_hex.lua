local s = "tab\tquote\"apos\x27"
