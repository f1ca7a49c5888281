-- a raised error with CR and LF cannot inject RESP either
error("x\r\n+OK\r\n")
