-- loading the same script twice gives the same SHA
--! cmd: SCRIPT LOAD $BODY
--! cmd: SCRIPT LOAD $BODY
--! cmd: SCRIPT EXISTS $SHA
return 2
