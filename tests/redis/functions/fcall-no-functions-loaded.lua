-- FCALL when no library is loaded
--! cmd: FCALL f 0
--! cmd: FCALL_RO f 0
return 1
