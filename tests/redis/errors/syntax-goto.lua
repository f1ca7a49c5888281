-- goto is not Lua 5.1 syntax
goto done
::done::
