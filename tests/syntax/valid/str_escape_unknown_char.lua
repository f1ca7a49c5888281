x = "\q\z\x41\u"
