-- only the first of several return values is replied
return 1, 2, 3
