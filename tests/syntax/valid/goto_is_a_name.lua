local goto = 1
goto = goto + 1
