-- EVALSHA with a SHA that is too long
--! cmd: EVALSHA e0e1f9fabfc9d4800c877a703b823ac0578ff8db00 0
return 1
