-- error() does not exist while a library loads
#!lua name=lib
error('failed at load')
