-- EVAL of a script whose shebang names another engine
--! cmd: EVAL #!python\nreturn\s1 0
--! cmd: EVAL #!\nreturn\s1 0
--! cmd: EVAL #!lu\nreturn\s1 0
return 1
