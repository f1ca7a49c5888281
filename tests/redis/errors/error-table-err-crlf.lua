-- CR and LF inside an err table message are replaced
error({err = "ERR line1\r\nline2"})
