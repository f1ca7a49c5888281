f
'str'
