-- error({err="X"}) with no space: no ERR added
error({err = "NOSPACE"})
