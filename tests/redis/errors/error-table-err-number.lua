-- error({err=12}): a number err field
error({err = 12})
