-- SCRIPT LOAD returns the SHA-1 of the body
--! cmd: SCRIPT LOAD $BODY
return "loaded"
