-- a large repeat count in c
return {#struct.pack("c1000", "x"), struct.size("c1000")}
