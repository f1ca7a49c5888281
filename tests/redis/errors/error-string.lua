-- error("boom") gets the position prefix and the script suffix
error("boom")
