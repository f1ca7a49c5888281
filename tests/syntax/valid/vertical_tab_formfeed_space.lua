locala=1	
