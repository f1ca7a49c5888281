#!/usr/bin/env lua
print('hi')
