#!/usr/bin/env lua5.1 this first line is skipped by the interpreter
-- a first line starting with # is ignored when running a file
print("shebang skipped")
print(loadstring("#x\nreturn 1"))
