-- a positive integral number becomes an integer reply
return 42
