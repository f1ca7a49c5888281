-- SCRIPT EXISTS with loaded and unknown SHAs
--! cmd: SCRIPT LOAD $BODY
--! cmd: SCRIPT EXISTS $SHA ffffffffffffffffffffffffffffffffffffffff $SHA nonsense
return 1
