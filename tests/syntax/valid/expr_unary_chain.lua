x = not - # - not a
