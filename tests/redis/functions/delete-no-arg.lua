-- FUNCTION DELETE with no library name
--! cmd: FUNCTION DELETE
return 1
