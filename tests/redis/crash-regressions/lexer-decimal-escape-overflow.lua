-- a decimal escape above 255
return {select(2, loadstring('return "\\256"')), select(2, loadstring('return "\\999"'))}
