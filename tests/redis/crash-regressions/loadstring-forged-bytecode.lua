-- a forged bytecode header is refused
return {select(2, loadstring("\27LuaQ\0\1\4\8\4\8\0\255\255\255\255"))}
