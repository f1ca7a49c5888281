local continue = true
