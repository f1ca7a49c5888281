-- FUNCTION DELETE of a library that does not exist
--! cmd: FUNCTION DELETE nosuchlib
return 1
